"""A batch of letters, with progress for the UI and one bad letter not stopping the rest."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from iro_desktop.pdf import LetterJob, render_letters_batch
from tests.pdf.conftest import make_draft, make_facts, pdf_reader, pdf_text


def _job(name: str, **options: object) -> LetterJob:
    facts = make_facts(preferred_name=name, meeting_dates=(date(2025, 3, 4),))
    return LetterJob(make_draft(facts), facts, **options)  # type: ignore[arg-type]


def test_batch_renders_each_letter_and_reports_progress(tmp_path: Path) -> None:
    calls: list[tuple[int, int]] = []
    jobs = [_job("Amira"), _job("Ben", large_print=True), _job("Cal", photo=b"broken")]
    outcomes = render_letters_batch(jobs, tmp_path / "out", lambda d, t: calls.append((d, t)))
    assert calls == [(0, 3), (1, 3), (2, 3), (3, 3)]
    assert [o.error is None for o in outcomes] == [True, True, False]
    assert "photo could not be read" in (outcomes[2].error or "")
    first, second = outcomes[0].path, outcomes[1].path
    assert first is not None and second is not None and first != second
    assert "Dear Amira," in pdf_text(first.read_bytes())
    assert "Dear Ben," in pdf_text(second.read_bytes())
    # Names of children are not put in file names; only the letters made are on disk.
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "letter-001-2025-03-04.pdf",
        "letter-002-2025-03-04.pdf",
    ]


def test_batch_keeps_given_file_names_unique(tmp_path: Path) -> None:
    jobs = [_job("Amira", filename="review.pdf"), _job("Ben", filename="REVIEW")]
    outcomes = render_letters_batch(jobs, tmp_path, lambda d, t: None)
    names = [o.path.name for o in outcomes if o.path]
    assert names == ["review.pdf", "REVIEW-2.pdf"]
    assert all(len(pdf_reader(o.path.read_bytes()).pages) >= 1 for o in outcomes if o.path)


def test_empty_batch_reports_zero_of_zero(tmp_path: Path) -> None:
    calls: list[tuple[int, int]] = []
    assert render_letters_batch([], tmp_path, lambda d, t: calls.append((d, t))) == []
    assert calls == [(0, 0)]
