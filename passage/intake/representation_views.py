"""Pages for representatives: a client authorises or revokes a representative; a
representative sees their clients and starts an application for one of them."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from passage.accounts.access import gate
from passage.accounts.requests import person_of
from passage.accounts.roles import CLIENT_ROLES, Role
from passage.cases.errors import InvalidRequest, NotPermitted
from passage.cases.status import CaseStatus
from passage.intake import drafts, presenters, representation, selectors
from passage.intake.representation_forms import AuthoriseRepresentativeForm
from passage.languages import active_language


@gate(*CLIENT_ROLES, hide=True)
def representatives(request: HttpRequest) -> HttpResponse:
    """The client's representatives, and the form to authorise one."""
    person = person_of(request)
    form = AuthoriseRepresentativeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            authorised = representation.authorise_representative(
                client=person,
                email=form.cleaned_data["email"],
                membership_number=form.cleaned_data["membership_number"],
            )
        except NotPermitted:
            raise Http404 from None
        except InvalidRequest as error:
            errors = error.details.get("errors") or {None: error.message}
            assert isinstance(errors, dict)
            for field, message in errors.items():
                form.add_error(field if field in form.fields else None, str(message))
        else:
            messages.success(
                request,
                _("%(name)s can now apply and act for you.")
                % {"name": representation.person_name(authorised.representative)},
            )
            return redirect("intake:representatives")
    rows = [
        {"representation": row, "name": representation.person_name(row.representative)}
        for row in selectors.representatives_of(person)
    ]
    return render(request, "intake/representatives.html", {"form": form, "rows": rows})


@gate(*CLIENT_ROLES, hide=True)
@require_POST
def revoke(request: HttpRequest, representation_id: int) -> HttpResponse:
    """End an authorisation at once."""
    revoked = representation.revoke_representation(
        client=person_of(request), representation_id=representation_id
    )
    messages.success(
        request,
        _("%(name)s can no longer see or act on your applications.")
        % {"name": representation.person_name(revoked.representative)},
    )
    return redirect("intake:representatives")


@gate(Role.REPRESENTATIVE, hide=True)
def clients(request: HttpRequest) -> HttpResponse:
    """A representative's clients, each with their cases (reference, program, status, a
    link to where each is) and a way to start an application for them."""
    person = person_of(request)
    language = active_language()
    programs = presenters.program_rows(language)
    cases = selectors.cases_of_clients(person)
    rows = [
        {
            "representation": row,
            "name": representation.person_name(row.client),
            "cases": [
                {
                    "case_id": case.public_id,
                    "reference": case.reference,
                    "program": case.program.name(language),
                    "status": str(CaseStatus(case.status).label),
                }
                for case in cases.get(row.client_id, [])
            ],
        }
        for row in selectors.clients_of(person)
    ]
    return render(request, "intake/clients.html", {"rows": rows, "programs": programs})


@gate(Role.REPRESENTATIVE, hide=True)
@require_POST
def start_for_client(request: HttpRequest) -> HttpResponse:
    """Start a draft that belongs to the client of one of the representative's active
    authorisations; the representative fills it in and submits it for them."""
    try:
        representation_id = int(request.POST.get("representation", ""))
    except ValueError:
        raise Http404 from None
    draft = drafts.start_draft(
        person=person_of(request),
        program_code=request.POST.get("program", ""),
        representation_id=representation_id,
    )
    return redirect("intake:page", draft_id=draft.public_id, page_id=draft.current_page)
