"""The words of a case's statuses, steps, step states and events in one language, worked
out once per language and process. The tracker and the API name them on every request,
and translating each lazy label again cost more than the rest of their answer."""

from dataclasses import dataclass
from functools import cache

from django.utils import translation
from django.utils.translation import gettext as _

from passage.cases.status import STATUS_EXPLANATIONS, CaseStatus, EventKind, Step, StepState


@dataclass(frozen=True)
class CaseWording:
    status: dict[str, str]
    status_explanation: dict[str, str]
    step: dict[str, str]
    step_state: dict[str, str]
    event_kind: dict[str, str]
    step_recorded: str

    def step_change(self, step: str, state: str) -> str:
        """A step's new state, as the history says it: "Medical exam: Completed"."""
        return self.step_recorded % {"step": self.step[step], "state": self.step_state[state]}


def case_wording() -> CaseWording:
    """The wording in the active language."""
    return _wording(translation.get_language())


@cache
def _wording(language: str | None) -> CaseWording:
    with translation.override(language):
        return CaseWording(
            status={status.value: str(status.label) for status in CaseStatus},
            status_explanation={
                status.value: str(text) for status, text in STATUS_EXPLANATIONS.items()
            },
            step={step.value: str(step.label) for step in Step},
            step_state={state.value: str(state.label) for state in StepState},
            event_kind={kind.value: str(kind.label) for kind in EventKind},
            step_recorded=_("%(step)s: %(state)s"),
        )
