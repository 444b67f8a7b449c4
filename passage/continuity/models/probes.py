"""What the probes saw: each pass exercises a component the way a client would."""

from django.db import models


class ProbeResult(models.Model):
    """One probe of one component: whether it worked as a client would need, how long it
    took, and in words what failed."""

    component = models.CharField(max_length=20)
    at = models.DateTimeField()
    ok = models.BooleanField()
    milliseconds = models.PositiveIntegerField(default=0)
    detail = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["component", "-at"], name="probe_by_component_time")]

    def __str__(self) -> str:
        return f"{self.component} {'ok' if self.ok else 'failed'} at {self.at:%Y-%m-%d %H:%M}"
