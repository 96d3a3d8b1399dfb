"""One document checker, a policy per use: raid evidence and language help accept different sizes and types."""

from __future__ import annotations

from sqlmodel import select

import handlers.catalogue  # noqa: F401  (registers `raid` and `language`)
from handlers.kit.context import Attachment
from handlers.kit.documents import LANGUAGE_HELP, RAID_EVIDENCE
from storage.models import LanguageRequest, RaidEvidence
from support.harness import Harness

RAID = 'raid raid_date=2026-10-02 authority="Yiwu AMR" case_number="YW-2026-118" https://shop123456.taobao.com/'
ASK = "language source=zh target=en 请看附件"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(64)
FIFTEEN_MB_PDF = b"%PDF-1.7\n" + b"0" * (15 * 1024 * 1024)


def test_the_policies_differ_in_size_and_types() -> None:
    assert LANGUAGE_HELP.max_bytes < len(FIFTEEN_MB_PDF) <= RAID_EVIDENCE.max_bytes
    assert (LANGUAGE_HELP.accepted, RAID_EVIDENCE.accepted) == (
        "PDF, PNG, JPEG or TXT",
        "PDF, PNG, JPEG, DOCX, XLSX, TXT or CSV",
    )


def test_a_15_mb_scan_is_refused_for_language_help_and_accepted_as_raid_evidence(program: Harness) -> None:
    scan = (Attachment("scan.pdf", FIFTEEN_MB_PDF),)
    refused = program.refused(ASK, as_="brand1", attachments=scan)
    assert refused.startswith(
        f"1 file refused: scan.pdf: it is {len(FIFTEEN_MB_PDF):,} bytes; the limit is 10,485,760 (10 MB)."
    )
    assert program.ok(RAID, as_="brand1", attachments=scan).text.startswith("Raid evidence RAID-000001 submitted")
    with program.database.transaction() as session:
        assert session.exec(select(LanguageRequest)).all() == []
        assert len(session.exec(select(RaidEvidence)).all()) == 1


def test_a_program_renamed_as_a_pdf_is_refused_by_both(program: Harness) -> None:
    renamed = (Attachment("invoice.pdf", EXE),)
    assert program.refused(RAID, as_="brand1", attachments=renamed).startswith(
        "1 file refused: invoice.pdf: it is named .pdf but its content is not a PDF (it looks like a Windows program)."
    )
    assert program.refused(ASK, as_="brand1", attachments=renamed).startswith(
        "1 file refused: invoice.pdf: it is not a PDF, PNG, JPEG or plain-text file (it looks like a Windows program)."
    )
    with program.database.transaction() as session:
        assert session.exec(select(LanguageRequest)).all() == []
        assert session.exec(select(RaidEvidence)).all() == []
