"""Whether an email was sent by a machine, so that no acknowledgement answers it: an
auto-reply, a bounce, a mailing list, or the department's own mail (RFC 3834's rules,
and the headers other mail programs use). Answering those is how mail loops start."""

from passage.mailtriage.parsing import ParsedEmail

_BULK = {"bulk", "list", "junk", "auto_reply", "auto-reply"}
_SYSTEM_SENDERS = (
    "mailer-daemon@",
    "postmaster@",
    "noreply@",
    "no-reply@",
    "donotreply@",
    "do-not-reply@",
)


def sent_by_a_machine(
    email: ParsedEmail, *, envelope_sender: str | None, own_addresses: set[str], own_domain: str
) -> str:
    """Why an email must not be answered (a short reason kept on it), or an empty string
    when a person sent it. `envelope_sender` is the SMTP MAIL FROM (None when unknown,
    as for mail fetched over IMAP, where Return-Path stands for it)."""
    auto_submitted = email.header("Auto-Submitted").split(";")[0].strip().lower()
    if auto_submitted and auto_submitted != "no":
        return f"auto-submitted: {auto_submitted}"
    if email.header("Precedence").strip().lower() in _BULK:
        return f"precedence: {email.header('Precedence').strip().lower()}"
    if email.header("List-Id") or email.header("List-Unsubscribe"):
        return "mailing list"
    suppress = email.header("X-Auto-Response-Suppress").lower()
    if any(word in suppress for word in ("all", "autoreply", "oof")):
        return "auto-response suppressed"
    if email.header("X-Autoreply") or email.header("X-Autorespond"):
        return "auto-reply"
    return_path = email.header("Return-Path").strip()
    if envelope_sender == "" or return_path == "<>":
        return "bounce: empty return path"
    if email.content_type == "multipart/report":
        return "bounce: delivery report"
    if not email.sender or "@" not in email.sender:
        return "no sender address"
    if email.sender in own_addresses or email.sender.endswith("@" + own_domain):
        return "our own address"
    if email.message_id.endswith("@" + own_domain + ">") and email.message_id.startswith(
        "<outbox-"
    ):
        return "our own message"
    if email.sender.startswith(_SYSTEM_SENDERS):
        return "system sender"
    return ""
