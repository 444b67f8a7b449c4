"""Pages for representatives: a client authorises or revokes a representative; a
representative sees their clients and starts an application for one of them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from passage.accounts.requests import person_of
from passage.accounts.roles import Role
from passage.cases.errors import InvalidRequest, NotPermitted
from passage.intake import drafts, representation, selectors
from passage.intake.representation_forms import AuthoriseRepresentativeForm
from passage.languages import active_language


@login_required
def representatives(request: HttpRequest) -> HttpResponse:
    """The client's representatives, and the form to authorise one."""
    person = person_of(request)
    if person.is_department_staff:
        raise Http404
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


@login_required
@require_POST
def revoke(request: HttpRequest, representation_id: int) -> HttpResponse:
    """End an authorisation at once."""
    try:
        revoked = representation.revoke_representation(
            client=person_of(request), representation_id=representation_id
        )
    except representation.RepresentationNotFound:
        raise Http404 from None
    messages.success(
        request,
        _("%(name)s can no longer see or act on your applications.")
        % {"name": representation.person_name(revoked.representative)},
    )
    return redirect("intake:representatives")


@login_required
def clients(request: HttpRequest) -> HttpResponse:
    """A representative's clients, each with a way to start an application for them."""
    person = person_of(request)
    if not person.has_role(Role.REPRESENTATIVE):
        raise Http404
    language = active_language()
    programs = [
        {"code": program.code, "name": program.name(language)} for program in drafts.open_programs()
    ]
    rows = [
        {"representation": row, "name": representation.person_name(row.client)}
        for row in selectors.clients_of(person)
    ]
    return render(request, "intake/clients.html", {"rows": rows, "programs": programs})


@login_required
@require_POST
def start_for_client(request: HttpRequest) -> HttpResponse:
    """Start a draft that belongs to the client of one of the representative's active
    authorisations; the representative fills it in and submits it for them."""
    try:
        representation_id = int(request.POST.get("representation", ""))
        draft = drafts.start_draft(
            person=person_of(request),
            program_code=request.POST.get("program", ""),
            representation_id=representation_id,
        )
    except (ValueError, drafts.DraftNotFound):
        raise Http404 from None
    return redirect("intake:page", draft_id=draft.public_id, page_id=draft.current_page)
