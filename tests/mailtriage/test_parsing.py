"""Any message is read without an exception, its problems named."""

from email.message import EmailMessage

from passage.mailtriage.parsing import parse, text_of_html


def test_a_plain_message_gives_its_sender_subject_text_and_id() -> None:
    message = EmailMessage()
    message["From"] = "Ana Pérez <Ana@Example.org>"
    message["To"] = "clients@passage.example"
    message["Subject"] = "Où en est mon dossier ?"
    message["Message-ID"] = "<abc@example.org>"
    message.set_content("Bonjour, ça fait 8 mois.")
    parsed = parse(message.as_bytes())
    assert (parsed.sender, parsed.sender_name) == ("ana@example.org", "Ana Pérez")
    assert parsed.subject == "Où en est mon dossier ?"
    assert parsed.text.strip() == "Bonjour, ça fait 8 mois."
    assert parsed.message_id == "<abc@example.org>"
    assert parsed.problems == []


def test_an_html_only_message_is_read_as_safe_text_and_says_so() -> None:
    raw = (
        b"From: a@example.org\r\nSubject: x\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
        b"<html><head><style>p{}</style><script>alert(1)</script></head>"
        b"<body><p>My new address:</p><p>12 Main St &amp; Co</p></body></html>"
    )
    parsed = parse(raw)
    assert parsed.text == "My new address:\n\n12 Main St & Co"
    assert "alert" not in parsed.text
    assert "<" not in parsed.text
    assert any("HTML" in problem for problem in parsed.problems)


def test_a_latin1_message_is_decoded_and_an_unknown_charset_is_a_problem_not_a_crash() -> None:
    head = b"From: a@example.org\r\nSubject: x\r\nContent-Type: text/plain; charset="
    latin = head + b"iso-8859-1\r\n\r\nd\xe9m\xe9nagement"
    assert parse(latin).text == "déménagement"
    unknown = head + b"x-nothing\r\n\r\nhello"
    parsed = parse(unknown)
    assert "hello" in parsed.text
    assert any("encoding" in problem for problem in parsed.problems)


def test_malformed_mime_is_kept_with_its_problems() -> None:
    raw = (
        b'From: a@example.org\r\nContent-Type: multipart/mixed; boundary="zz"\r\n\r\n'
        b"--zz\r\nContent-Type: text/plain\r\n\r\nhi"
    )
    parsed = parse(raw)
    assert "hi" in parsed.text
    assert parsed.problems


def test_a_message_without_a_message_id_is_named_by_its_bytes() -> None:
    raw = b"From: a@example.org\r\nSubject: x\r\n\r\nhello"
    assert parse(raw).message_id == parse(raw).message_id
    assert parse(raw).message_id != parse(raw + b"!").message_id


def test_attachments_are_separated_from_the_text() -> None:
    message = EmailMessage()
    message["From"] = "a@example.org"
    message.set_content("See attached.")
    message.add_attachment(
        b"%PDF-1.4 ...", maintype="application", subtype="pdf", filename="police.pdf"
    )
    parsed = parse(message.as_bytes())
    assert [(a.filename, a.content_type) for a in parsed.attachments] == [
        ("police.pdf", "application/pdf")
    ]
    assert parsed.text.strip() == "See attached."


def test_html_text_keeps_paragraphs() -> None:
    assert text_of_html("<div>a</div><div>b<br>c</div>") == "a\n\nb\nc"


def test_nul_and_control_characters_never_reach_the_text_or_headers() -> None:
    raw = (
        b"From: A\x00na <a@example.org>\r\nSubject: hi\x00there\x07\r\n\r\n"
        b"line one\x00\r\nline\ttwo"
    )
    parsed = parse(raw)
    assert "\x00" not in parsed.text + parsed.subject + parsed.sender_name
    assert parsed.text == "line one\nline\ttwo"
    assert parsed.subject == "hithere"


def test_headers_past_the_limit_are_not_read_and_the_body_still_is() -> None:
    raw = b"From: a@example.org\r\nSubject: " + b"x " * 200_000 + b"\r\n\r\nhello body"
    parsed = parse(raw)
    assert parsed.text == "hello body"
    assert any("headers over" in problem for problem in parsed.problems)
