"""Which email must not be answered, and which of those a person need not read either.

Answering an auto-reply, a bounce, a mailing list or our own mail is how mail loops
start (RFC 3834's rules, and the headers other mail programs use). Of those, only what a
machine wrote on its own (an auto-reply, a bounce) is set aside; a list message, a
contact form's bulk mail, a colleague forwarding a client's email or a reply to one of
our own messages may carry a request, so a person reads it, unanswered."""

from dataclasses import dataclass

from passage.mailtriage.parsing import ParsedEmail

_BULK = {"bulk", "list", "junk"}
_AUTO_REPLY = {"auto_reply", "auto-reply"}
_SYSTEM_SENDERS = (
    "mailer-daemon@",
    "postmaster@",
    "noreply@",
    "no-reply@",
    "donotreply@",
    "do-not-reply@",
)


@dataclass(frozen=True)
class Unanswered:
    """Why an email gets no acknowledgement, and whether it is set aside (a machine wrote
    it on its own) rather than read by a person."""

    reason: str
    set_aside: bool


def not_to_answer(
    email: ParsedEmail, *, envelope_sender: str | None, own_addresses: set[str], own_domain: str
) -> Unanswered | None:
    """None when a person wrote the email and may be answered. `envelope_sender` is the
    SMTP MAIL FROM (None when unknown, as for mail fetched over IMAP, where Return-Path
    stands for it)."""
    auto_submitted = email.header("Auto-Submitted").split(";")[0].strip().lower()
    if auto_submitted and auto_submitted != "no":
        return Unanswered(f"auto-submitted: {auto_submitted}", set_aside=True)
    precedence = email.header("Precedence").strip().lower()
    if precedence in _AUTO_REPLY or email.header("X-Autoreply") or email.header("X-Autorespond"):
        return Unanswered("auto-reply", set_aside=True)
    if envelope_sender == "" or email.header("Return-Path").strip() == "<>":
        return Unanswered("bounce: empty return path", set_aside=True)
    if email.content_type == "multipart/report":
        return Unanswered("bounce: delivery report", set_aside=True)
    if email.sender.startswith(_SYSTEM_SENDERS):
        return Unanswered("system sender", set_aside=True)
    if precedence in _BULK:
        return Unanswered(f"precedence: {precedence}", set_aside=False)
    if email.header("List-Id") or email.header("List-Unsubscribe"):
        return Unanswered("mailing list", set_aside=False)
    suppress = email.header("X-Auto-Response-Suppress").lower()
    if any(word in suppress for word in ("all", "autoreply", "oof")):
        return Unanswered("auto-response suppressed", set_aside=False)
    if not email.sender or "@" not in email.sender:
        return Unanswered("no sender address", set_aside=False)
    if email.sender in own_addresses or email.sender.endswith("@" + own_domain):
        return Unanswered("our own address", set_aside=False)
    if _ours(email.message_id, own_domain):
        return Unanswered("our own message", set_aside=True)
    replied_to = f"{email.header('In-Reply-To')} {email.header('References')}"
    if any(_ours(word, own_domain) for word in replied_to.split()):
        return Unanswered("a reply to one of ours", set_aside=False)
    return None


def _ours(message_id: str, own_domain: str) -> bool:
    return message_id.startswith("<outbox-") and message_id.endswith(f"@{own_domain}>")
