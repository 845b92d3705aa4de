"""What arrives at an agency's central e-mail address is read, or quarantined with its reason."""

from __future__ import annotations

from email.message import EmailMessage

from chalicelib.exchange.mail import MAX_MAIL_BYTES, read

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def mail(
    *, subject: str = "ขอเชิญประชุม", attachments: list[tuple[str, str, bytes]] | None = None, **headers: str
) -> bytes:
    message = EmailMessage()
    message["From"] = "สำนักงานจังหวัด <saraban@province.example.go.th>"
    message["To"] = "saraban@agency.example.go.th"
    message["Subject"] = subject
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content("เรียน ผู้อำนวยการ\nส่งหนังสือมาเพื่อโปรดทราบ")
    for filename, content_type, data in (
        attachments if attachments is not None else [("หนังสือ.pdf", "application/pdf", PDF)]
    ):
        maintype, subtype = content_type.split("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return message.as_bytes()


def test_a_letter_by_mail_is_read_with_its_thai_subject_and_attachments() -> None:
    found = read(
        mail(attachments=[("หนังสือ.pdf", "application/pdf", PDF), ("แบบตอบรับ.pdf", "application/pdf", PDF)])
    )
    assert found.problem is None
    assert found.subject == "ขอเชิญประชุม" and found.sender_name == "สำนักงานจังหวัด"
    assert found.sender_address == "saraban@province.example.go.th"
    assert [(a[0], a[1]) for a in found.attachments] == [
        ("หนังสือ.pdf", "application/pdf"),
        ("แบบตอบรับ.pdf", "application/pdf"),
    ]
    assert found.attachments[0][2] == PDF


def test_a_forged_sender_or_a_virus_is_quarantined() -> None:
    forged = read(mail(X_SES_Spf_Verdict="FAIL", X_SES_Dkim_Verdict="FAIL"))
    assert forged.problem is not None and "forged" in forged.problem
    dmarc = read(mail(Authentication_Results="amazonses.com; spf=pass; dkim=fail; dmarc=fail"))
    assert dmarc.problem is not None and "forged" in dmarc.problem
    virus = read(mail(X_SES_Virus_Verdict="FAIL"))
    assert virus.problem is not None and "virus" in virus.problem
    one_fails = read(mail(X_SES_Spf_Verdict="FAIL", X_SES_Dkim_Verdict="PASS"))
    assert one_fails.problem is None  # a forwarded message fails SPF but keeps its DKIM signature


def test_what_cannot_be_a_letter_is_quarantined_with_its_reason() -> None:
    assert "no attachment" in (read(mail(attachments=[])).problem or "")
    assert "over" in (read(b"x" * (MAX_MAIL_BYTES + 1)).problem or "")
    assert "malformed" in (read(b"\x00\x01 not a message at all").problem or "")
    many = [(f"{i}.pdf", "application/pdf", PDF) for i in range(21)]
    assert "more than 20 attachments" in (read(mail(attachments=many)).problem or "")


def test_an_executable_or_an_archive_is_carried_to_the_upload_checks_unopened() -> None:
    """Not opened here: the upload checks refuse them by their bytes (tests/integration)."""
    bomb = b"PK\x03\x04" + b"\x00" * 100
    found = read(
        mail(
            attachments=[
                ("letter.zip", "application/zip", bomb),
                ("run.exe", "application/octet-stream", b"MZ\x90\x00"),
            ]
        )
    )
    assert found.problem is None
    assert [a[2] for a in found.attachments] == [bomb, b"MZ\x90\x00"]
