"""The supervisor's workbench pages: offices' capacity and load, routing now, officers'
skills, capacity and leave, moving files, and the background jobs. Each needs the
supervisor role; the services decide what is allowed.
"""

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from passage import clock
from passage.accounts.access import gate
from passage.accounts.models import User
from passage.accounts.requests import person_of
from passage.accounts.roles import Role
from passage.cases.errors import (
    InvalidRequest,
    NotPermitted,
)
from passage.intake.models import Program
from passage.jobs import selectors as job_selectors
from passage.jobs import services as job_services
from passage.workbench import selectors, services
from passage.workbench.forms import (
    LeaveForm,
    OfficerForm,
    ReassignForm,
    RetryJobForm,
    SkillFormSet,
    skill_rows,
)
from passage.workbench.pages import forbidden, render_page
from passage.workbench.presenters.supervision import open_files_page, supervisor_overview

# --- Supervision ----------------------------------------------------------------------------


@gate(Role.SUPERVISOR)
def overview(request: HttpRequest) -> HttpResponse:
    """Offices' capacity and load, who is on leave, and how old the shared queue is."""
    return render_page(
        request,
        "workbench/supervision/overview.html",
        {"overview": supervisor_overview(person=person_of(request))},
    )


@require_POST
@gate(Role.SUPERVISOR)
def run_routing(request: HttpRequest) -> HttpResponse:
    """Route every open file nobody has started, now."""
    run = services.route_open_cases()
    messages.success(
        request,
        _(
            "Routing looked at %(considered)s files: %(assigned)s have an officer, "
            "%(unassigned)s stay in the shared queue."
        )
        % {
            "considered": run.cases_considered,
            "assigned": run.assigned,
            "unassigned": run.unassigned,
        },
    )
    return redirect("workbench:overview")


@gate(Role.SUPERVISOR)
def officer_list(request: HttpRequest) -> HttpResponse:
    """The officers of the supervisor's office with capacity, load, skills and leave."""
    return render_page(
        request,
        "workbench/supervision/officers.html",
        {"officers": selectors.officers(person=person_of(request))},
    )


def _officer_or_404(person: User, officer_id: int) -> selectors.OfficerLoad:
    try:
        return selectors.officer_for_supervisor(person=person, officer_id=officer_id)
    except User.DoesNotExist:
        raise Http404 from None


def _officer_page(
    request: HttpRequest,
    load: selectors.OfficerLoad,
    *,
    officer_form: OfficerForm | None = None,
    skills: Any = None,
    leave_form: LeaveForm | None = None,
    status: int = 200,
) -> HttpResponse:
    officer_form = officer_form or OfficerForm(
        initial={"office": load.office, "weekly_capacity": load.weekly_capacity},
        office_id=person_of(request).office_id,
    )
    skills = skills or SkillFormSet(
        prefix="skills",
        initial=[
            {"kind": skill.kind, "value": skill.value, "proficiency": skill.proficiency}
            for skill in load.skills
        ],
    )
    leave_form = leave_form or LeaveForm()
    error_forms: list[Any] = [officer_form, *skills.forms, leave_form]
    return render_page(
        request,
        "workbench/supervision/officer.html",
        {
            "load": load,
            "officer_form": officer_form,
            "skills": skills,
            "leave_form": leave_form,
            "error_forms": [form for form in error_forms if form.is_bound and form.errors],
        },
        status=status,
    )


@gate(Role.SUPERVISOR)
def officer_detail(request: HttpRequest, officer_id: int) -> HttpResponse:
    """One officer: set their office, capacity and skills; record leave."""
    person = person_of(request)
    load = _officer_or_404(person, officer_id)
    if request.method != "POST":
        return _officer_page(request, load)
    officer_form = OfficerForm(request.POST, office_id=person.office_id)
    skills = SkillFormSet(request.POST, prefix="skills")
    if officer_form.is_valid() and skills.is_valid():
        try:
            services.update_officer(
                supervisor=person,
                officer=load.officer,
                office=officer_form.cleaned_data["office"],
                weekly_capacity=officer_form.cleaned_data["weekly_capacity"],
                skills=skill_rows(skills),
            )
        except InvalidRequest as error:
            officer_form.add_service_errors(error.message, error.details.get("errors"))
        except NotPermitted as error:
            return forbidden(request, error)
        else:
            messages.success(request, _("Details saved for %(name)s.") % {"name": load.name})
            return redirect("workbench:officer", officer_id=officer_id)
    return _officer_page(request, load, officer_form=officer_form, skills=skills, status=422)


@require_POST
@gate(Role.SUPERVISOR)
def officer_leave(request: HttpRequest, officer_id: int) -> HttpResponse:
    """Record days an officer is away."""
    person = person_of(request)
    load = _officer_or_404(person, officer_id)
    form = LeaveForm(request.POST)
    if form.is_valid():
        try:
            services.record_leave(
                supervisor=person,
                officer=load.officer,
                starts_on=form.cleaned_data["starts_on"],
                ends_on=form.cleaned_data["ends_on"],
                note=form.cleaned_data["note"],
            )
        except InvalidRequest as error:
            form.add_service_errors(error.message, error.details.get("errors"))
        except NotPermitted as error:
            return forbidden(request, error)
        else:
            messages.success(request, _("Leave recorded for %(name)s.") % {"name": load.name})
            return redirect("workbench:officer", officer_id=officer_id)
    return _officer_page(request, load, leave_form=form, status=422)


@gate(Role.SUPERVISOR)
def files(request: HttpRequest) -> HttpResponse:
    """Open files, filtered by officer or program, a page at a time, to give to another
    officer or send back to the shared queue, several at once."""
    person = person_of(request)
    officers = [load.officer for load in selectors.officers(person=person)]
    chosen_officer = request.GET.get("officer", "")
    chosen_program = request.GET.get("program", "")
    form = ReassignForm(officers=officers)
    status = 200
    if request.method == "POST":
        form = ReassignForm(request.POST, officers=officers)
        if form.is_valid():
            officer_id = form.destination_officer_id()
            destination = next((o for o in officers if o.pk == officer_id), None)
            try:
                result = services.reassign_cases(
                    case_ids=form.cleaned_data["cases"],
                    officer=destination,
                    supervisor=person,
                    reason=form.cleaned_data["reason"],
                    idempotency_key=form.cleaned_data["idempotency_key"],
                )
            except InvalidRequest as error:
                form.add_service_errors(error.message, error.details.get("errors"))
            except NotPermitted as error:
                return forbidden(request, error)
            else:
                _report_bulk(request, person, result)
                return redirect(request.get_full_path())
        status = 422
    shown = open_files_page(
        person=person,
        officer=chosen_officer,
        program=chosen_program,
        page=request.GET.get("page", ""),
    )
    return render_page(
        request,
        "workbench/supervision/files.html",
        {
            "files": shown.files,
            "shown": shown,
            "officers": officers,
            "programs": Program.objects.order_by("code"),
            "chosen_officer": chosen_officer,
            "chosen_program": chosen_program,
            "selected": {str(value) for value in request.POST.getlist("cases")},
            "form": form,
            "error_forms": [form] if form.errors else [],
        },
        status=status,
    )


def _report_bulk(request: HttpRequest, person: User, result: services.BulkResult) -> None:
    if result.done:
        count = len(result.done)
        messages.success(
            request,
            ngettext(
                "Moved %(count)s file: %(references)s.",
                "Moved %(count)s files: %(references)s.",
                count,
            )
            % {"count": count, "references": ", ".join(result.done)},
        )
    if result.failed:
        references = selectors.references(
            person=person, case_ids=[UUID(key) for key in result.failed]
        )
        for key, message in result.failed.items():
            messages.error(
                request,
                _("%(reference)s was not moved: %(message)s")
                % {"reference": references.get(UUID(key), key), "message": message},
            )


@gate(Role.SUPERVISOR)
def jobs(request: HttpRequest) -> HttpResponse:
    """Background jobs that failed or are stuck, files waiting for triage, and a button to
    send a failed job again."""
    person = person_of(request)
    if request.method == "POST":
        form = RetryJobForm(request.POST)
        if form.is_valid():
            try:
                job_services.retry_job(
                    job_id=form.cleaned_data["job"],
                    supervisor=person,
                    idempotency_key=form.cleaned_data["idempotency_key"],
                    now=clock.now(),
                )
            except InvalidRequest as error:
                messages.error(request, error.message)
            except NotPermitted as error:
                return forbidden(request, error)
            else:
                messages.success(request, _("The job was sent again."))
        return redirect("workbench:jobs")
    overview = job_selectors.jobs_overview(person=person, now=clock.now())
    return render_page(
        request,
        "workbench/supervision/jobs.html",
        {
            "overview": overview,
            "stuck": [(job, None) for job in overview.stuck],
            # Each failed job with the form that sends it again, under a fresh key.
            "failed": [
                (job, RetryJobForm(initial={"job": job.job_id}, auto_id=False))
                for job in overview.failed
            ],
        },
    )
