"""The words of a case's statuses, steps, step states and events in one language, worked
out once per language and process. The tracker and the API name them on every request,
and translating each lazy label again cost more than the rest of their answer."""

from dataclasses import dataclass
from functools import cache

from django.utils import translation
from django.utils.translation import gettext as _

from passage.cases.status import (
    NOT_NEEDED_STEP_LABEL,
    REQUEST_CLOSED_HISTORY,
    STATUS_EXPLANATIONS,
    WAITING_STEP_SEND_DOCUMENTS,
    WAITING_STEP_TO_DO,
    CaseStatus,
    EventKind,
    Step,
    StepState,
)


@dataclass(frozen=True)
class CaseWording:
    status: dict[str, str]
    status_explanation: dict[str, str]
    step: dict[str, str]
    step_state: dict[str, str]
    event_kind: dict[str, str]
    step_recorded: str
    request_closed: dict[str, str]
    waiting_to_do: dict[str, str]
    send_documents: str
    not_needed: str

    def step_change(self, step: str, state: str) -> str:
        """A step's new state, as the history says it: "Medical exam: Completed"."""
        return self.step_recorded % {"step": self.step[step], "state": self.step_state[state]}

    def request_closure(self, step: str, reason: str) -> str:
        """A document request closed unanswered, as the client's history says it."""
        return self.request_closed[reason] % {"step": self.step[step]}


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
            request_closed={
                reason.value: str(text) for reason, text in REQUEST_CLOSED_HISTORY.items()
            },
            waiting_to_do={step.value: str(text) for step, text in WAITING_STEP_TO_DO.items()},
            send_documents=str(WAITING_STEP_SEND_DOCUMENTS),
            not_needed=str(NOT_NEEDED_STEP_LABEL),
        )
