"""The supervisors' card orders: how many confirmed permanent residents wait for a card,
a batch made of them (the file a card producer takes, downloadable), and each batch
marked sent once it went to the producer."""

from django.contrib import messages
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from passage.accounts.access import gate
from passage.accounts.requests import person_of, staff_navigation
from passage.accounts.roles import Role
from passage.errors import PassageError
from passage.intake.documents import read_whole
from passage.residence import cards
from passage.residence.forms import CardBatchForm
from passage.residence.models import CardBatch


@gate(Role.SUPERVISOR)
@require_GET
def batches(request: HttpRequest) -> HttpResponse:
    context = {
        "waiting": cards.waiting_for_a_card().count(),
        "batches": CardBatch.objects.annotate(cards=Count("confirmations")).order_by("-created_at")[
            :50
        ],
        "form": CardBatchForm(),
        **staff_navigation(request),
    }
    return render(request, "residence/cards.html", context)


@gate(Role.SUPERVISOR)
@require_POST
def make(request: HttpRequest) -> HttpResponse:
    form = CardBatchForm(request.POST)
    if form.is_valid():
        try:
            batch = cards.make_batch(
                by=person_of(request), idempotency_key=form.cleaned_data["idempotency_key"]
            )
        except PassageError as error:
            messages.error(request, error.message)
        else:
            count = batch.confirmations.count()
            messages.success(
                request,
                ngettext(
                    "Batch %(batch)s made: %(count)s card.",
                    "Batch %(batch)s made: %(count)s cards.",
                    count,
                )
                % {"batch": batch.reference, "count": count},
            )
    return redirect("residence:cards")


@gate(Role.SUPERVISOR)
@require_POST
def sent(request: HttpRequest, batch: str) -> HttpResponse:
    found = CardBatch.objects.filter(reference=batch).first()
    form = CardBatchForm(request.POST)
    if found is None:
        raise Http404
    if form.is_valid():
        cards.mark_sent(
            batch=found,
            by=person_of(request),
            idempotency_key=form.cleaned_data["idempotency_key"],
        )
        messages.success(request, _("Batch %(batch)s marked sent.") % {"batch": found.reference})
    return redirect("residence:cards")


@gate(Role.SUPERVISOR)
@require_GET
def download(request: HttpRequest, batch: str) -> HttpResponse:
    found = CardBatch.objects.filter(reference=batch).first()
    content = read_whole(found.storage_key, found.sha256) if found else None
    if found is None or content is None:
        raise Http404
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{found.reference}.zip"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store, private"
    return response
