"""A document request still open when its application is decided or withdrawn is closed
with it, with the reason, and an event of its own (`documents.request_closed`): the
client is asked nothing more. A request ends once: answered, or closed with a reason."""

from django.db import migrations, models

# The event kinds with their English wording (`cases/status.py`), the closed request added.
EVENT_KINDS = [
    ("application.submitted", "We received your application"),
    ("triage.started", "We started sorting your application"),
    ("review.started", "An officer review started"),
    ("step.recorded", "A step of your application changed"),
    ("case.approved", "A decision was made: approved"),
    ("case.refused", "A decision was made: refused"),
    ("case.withdrawn", "The application was withdrawn"),
    ("access.granted", "Someone was given access to the application"),
    ("access.revoked", "Someone's access to the application ended"),
    ("documents.requested", "We asked you for documents"),
    ("documents.received", "We received the documents we asked for"),
    ("documents.request_closed", "A document request was closed"),
    ("triage.assessed", "Eligibility rules assessed the file"),
    ("case.assigned", "The file was assigned to an officer"),
    ("case.unassigned", "The file was returned to the queue"),
    ("work.started", "An officer started work on the file"),
    ("note.added", "An officer added a note"),
    ("quality.reviewed", "A blind quality review was recorded"),
    ("conflict.declared", "An officer declared a conflict of interest"),
]


class Migration(migrations.Migration):
    dependencies = [("cases", "0010_case_assignment_pinned")]

    operations = [
        migrations.AddField(
            model_name="documentrequest",
            name="closed_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="documentrequest",
            name="closed_because",
            field=models.CharField(
                blank=True,
                choices=[
                    ("decided", "The application was decided"),
                    ("withdrawn", "The application was withdrawn"),
                ],
                max_length=20,
            ),
        ),
        migrations.AlterField(
            model_name="caseevent",
            name="kind",
            field=models.CharField(choices=EVENT_KINDS, max_length=40),
        ),
        migrations.AddConstraint(
            model_name="documentrequest",
            constraint=models.CheckConstraint(
                condition=models.Q(closed_at__isnull=True, closed_because="")
                | (
                    models.Q(closed_at__isnull=False, answered_at__isnull=True)
                    & ~models.Q(closed_because="")
                ),
                name="document_request_closed_once_with_reason",
            ),
        ),
    ]
