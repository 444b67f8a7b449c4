"""Becoming a permanent resident online, in Chromium, in English and in French: the
invitation email (through a real SMTP server on loopback), the declaration of presence,
the mailing address, a photo the checks reject with their reason and a good one, the
officer's review and confirmation, the client downloading the eCOPR, and the public
verification page saying it is genuine. axe-core checks each page at a phone's, a
tablet's and a desktop's width."""

import re
from email.header import decode_header, make_header
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from passage import clock
from passage.outbox.delivery import deliver_due_emails
from passage.residence.models import Confirmation
from passage.residence.states import ConfirmationState
from passage.residence.verification import check_pdf
from tests.accounts.builders import create_authenticator
from tests.browser.conftest import AxeCheck, NewPage
from tests.browser.support import PASSWORD, SIGN_IN, path, sign_in
from tests.builders import create_user
from tests.outbox.smtp import SmtpServer
from tests.residence.builders import PRINCIPAL_EMAIL, approved_sponsorship, not_a_photo, portrait
from tests.workbench.builders import create_skilled_officer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORDS = {
    "en": {
        "start": "Start",
        "declaration": "Declaration of presence in Canada",
        "sign": "Sign the declaration",
        "address": "Mailing address in Canada",
        "save_address": "Save the address",
        "photo": "Photo",
        "upload": "Upload and check the photo",
        "no_face": "We could not find a face.",
        "passed": "Your photo passed the checks.",
        "send": "Send for review",
        "sent": "Sent for review.",
        "confirm": "Confirm permanent residence and issue the eCOPR",
        "confirmed": "Permanent residence confirmed and the eCOPR issued.",
        "download": "Download the eCOPR (PDF)",
        "check": "Check the document",
        "genuine": "Genuine: issued by the department, unaltered and not revoked",
    },
    "fr": {
        "start": "Commencer",
        "declaration": "Déclaration de présence au Canada",
        "sign": "Signer la déclaration",
        "address": "Adresse postale au Canada",
        "save_address": "Enregistrer l\u2019adresse",
        "photo": "Photo",
        "upload": "Téléverser et vérifier la photo",
        "no_face": "Nous n\u2019avons pas trouvé de visage.",
        "passed": "Votre photo a passé les vérifications.",
        "send": "Envoyer pour examen",
        "sent": "Envoyée pour examen.",
        "confirm": "Confirmer la résidence permanente et délivrer la CRPe",
        "confirmed": "Résidence permanente confirmée et CRPe délivrée.",
        "download": "Télécharger la CRPe (PDF)",
        "check": "Vérifier le document",
        "genuine": "Authentique\u00a0: délivrée par le ministère, non modifiée et non révoquée",
    },
}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_sponsored_spouse_becomes_a_permanent_resident_online_and_anyone_can_check_it(
    new_page: NewPage,
    axe: AxeCheck,
    settings: object,
    smtp_server: SmtpServer,
    tmp_path: object,
    language: str,
) -> None:
    settings.PASSAGE_BLIND_REVIEW_SHARE = 0  # type: ignore[attr-defined]
    words = WORDS[language]
    officer = create_skilled_officer(username="lea", password=PASSWORD)
    device = create_authenticator(officer)
    approved_sponsorship(officer, language=language)
    nino = create_user(
        username="nino", password=PASSWORD, email=PRINCIPAL_EMAIL, preferred_language=language
    )
    nino.email_verified_at = clock.now()
    nino.save(update_fields=["email_verified_at"])

    # The invitation: one email in both languages, with a link to the portal and nothing
    # of the case.
    deliver_due_emails(now=clock.now())
    [invitation] = [m for m in smtp_server.inbox.received if m.recipients == [PRINCIPAL_EMAIL]]
    subject = str(make_header(decode_header(invitation.message["Subject"])))
    assert "Confirm your permanent residence online" in subject
    assert "Confirmez votre résidence permanente en ligne" in subject
    link = re.search(r"https?://\S+/residence/invitation/\S+/", invitation.body).group(0)
    invited = urlsplit(link).path

    page = new_page()
    page.goto(f"{SIGN_IN[language]['path']}?next={invited}")
    sign_in(page, language=language, username="nino", password=PASSWORD)
    expect(page).to_have_url(re.compile(re.escape(invited) + "$"))
    axe(page)
    main = page.get_by_role("main")
    main.get_by_role("button", name=words["start"]).click()
    expect(page).to_have_url(re.compile(re.escape(path("residence:home", language)) + "$"))
    axe(page)
    main.get_by_role("link", name="Nino Quincampoix").click()
    axe(page)

    # The declaration, then the address, each on its own page.
    main.get_by_role("link", name=words["declaration"]).click()
    axe(page)
    page.locator("input[name=city]").fill("Gatineau")
    page.locator("select[name=province]").select_option("QC")
    page.locator("input[name=in_canada]").check()
    main.get_by_role("button", name=words["sign"]).click()
    main.get_by_role("link", name=words["address"]).click()
    page.locator("input[name=line]").fill("25 rue Laurier")
    page.locator("input[name=city]").fill("Gatineau")
    page.locator("select[name=province]").select_option("QC")
    page.locator("input[name=postal_code]").fill("j8x 4c8")
    main.get_by_role("button", name=words["save_address"]).click()

    # A photo of a wall: rejected, with the reason in the client's language; then a good one.
    main.get_by_role("link", name=words["photo"], exact=True).click()
    wall = tmp_path / "wall.jpg"  # type: ignore[operator]
    wall.write_bytes(not_a_photo())
    page.locator("input[name=photo]").set_input_files(str(wall))
    main.get_by_role("button", name=words["upload"]).click()
    expect(main.get_by_role("alert")).to_contain_text(words["no_face"])
    axe(page)
    me = tmp_path / "me.jpg"  # type: ignore[operator]
    me.write_bytes(portrait())
    page.locator("input[name=photo]").set_input_files(str(me))
    main.get_by_role("button", name=words["upload"]).click()
    expect(page.get_by_role("status")).to_contain_text(words["passed"])
    main.get_by_role("button", name=words["send"]).click()
    expect(page.get_by_role("status")).to_contain_text(words["sent"])
    principal = Confirmation.objects.get(email=PRINCIPAL_EMAIL)
    assert principal.state == ConfirmationState.READY_FOR_REVIEW

    # The officer reviews the photo, the declaration and the address, and confirms.
    desk = new_page()
    queue = path("residence:review_queue", language)
    desk.goto(f"{SIGN_IN[language]['path']}?next={queue}")
    sign_in(desk, language=language, username="lea", password=PASSWORD, device=device)
    expect(desk).to_have_url(re.compile(re.escape(queue) + "$"))
    axe(desk)
    desk.get_by_role("main").get_by_role("link", name="Nino Quincampoix").click()
    expect(desk.get_by_role("main")).to_contain_text("Gatineau")
    axe(desk)
    desk.locator("input[name=uci]").fill("1234567890")
    desk.locator("input[name=place_of_birth]").fill("Paris")
    desk.locator("select[name=country_of_birth]").select_option("FR")
    desk.locator("select[name=sex]").select_option("M")
    desk.locator("select[name=citizenship]").select_option("FR")
    desk.locator("input[name=travel_document_number]").fill("19AB12345")
    desk.locator("select[name=travel_document_country]").select_option("FR")
    desk.get_by_role("button", name=words["confirm"]).click()
    expect(desk.get_by_role("status")).to_contain_text(words["confirmed"])

    # The client downloads the eCOPR; anyone checks it on the public page.
    page.reload()
    with page.expect_download() as download:
        main.get_by_role("link", name=words["download"]).click()
    ecopr = download.value.path().read_bytes()
    assert check_pdf(ecopr, now=clock.now()).genuine
    axe(page)
    visitor = new_page()
    visitor.goto(path("residence:verify", language))
    axe(visitor)
    saved = tmp_path / "ecopr.pdf"  # type: ignore[operator]
    saved.write_bytes(ecopr)
    visitor.locator("input[name=document]").set_input_files(str(saved))
    visitor.get_by_role("main").get_by_role("button", name=words["check"]).click()
    expect(visitor.get_by_role("main")).to_contain_text(words["genuine"])
    expect(visitor.get_by_role("main")).to_contain_text("Quincampoix")
    axe(visitor)
