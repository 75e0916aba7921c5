"""PDFs: the letter to the child and the record of the review (ReportLab, fonts embedded)."""

from iro_desktop.pdf.fonts import printing_problem, unsupported_characters
from iro_desktop.pdf.letter_pdf import BatchOutcome, LetterJob, render_letter, render_letters_batch
from iro_desktop.pdf.record_pdf import render_record
from iro_desktop.pdf.resources import read_phrase_bank, read_phrase_banks, resources_dir

__all__ = [
    "BatchOutcome",
    "LetterJob",
    "printing_problem",
    "read_phrase_bank",
    "read_phrase_banks",
    "render_letter",
    "render_letters_batch",
    "render_record",
    "resources_dir",
    "unsupported_characters",
]
