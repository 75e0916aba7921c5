"""File names for letters saved in a batch: the child's name and the review's date, so the
IRO can tell which PDF is whose before opening it."""

from __future__ import annotations

import unicodedata
from datetime import date

_MAX_NAME = 60


def batch_file_name(child_name: str, review_on: date) -> str:
    """The file name, e.g. letter-Amira-Quillfeather-2026-10-27.pdf: the name's letters and
    digits kept (in any script), anything a file system might refuse turned into a dash."""
    name = unicodedata.normalize("NFC", child_name)
    safe = "".join(ch if ch.isalnum() else "-" for ch in name)
    safe = "-".join(part for part in safe.split("-") if part)[:_MAX_NAME].strip("-")
    return f"letter-{safe or 'child'}-{review_on.isoformat()}.pdf"
