"""Finding the shipped resources (fonts, phrase banks) and reading phrase banks from disk.

The domain parses phrase-bank text; reading the files is I/O, so it lives here.
"""

from __future__ import annotations

from pathlib import Path

from iro_desktop.domain.letter import AgeBand, PhraseBank, load_phrase_bank
from iro_desktop.resources import resources_dir as shared_resources_dir


def resources_dir() -> Path:
    """The resources/ folder: in a checkout, inside a frozen build, or installed in the package.

    iro_desktop.resources knows every place it can be; this adds a clear message if the fonts
    are not there, since no PDF can be made without them.
    """
    candidate = shared_resources_dir()
    if (candidate / "fonts").is_dir():
        return candidate
    raise FileNotFoundError(
        f"The program's resources folder (fonts and letter wording) is missing: {candidate}"
    )


def phrase_bank_path(band: AgeBand, directory: Path | None = None) -> Path:
    return (directory or resources_dir() / "phrases") / f"{band.value}.toml"


def read_phrase_bank(band: AgeBand, directory: Path | None = None) -> PhraseBank:
    """The phrase bank for an age band, from the service's folder or the shipped one."""
    path = phrase_bank_path(band, directory)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise ValueError(f"Could not read the letter wording file {path}: {e.strerror}.") from e
    try:
        bank = load_phrase_bank(text)
    except ValueError as e:
        raise ValueError(f"In {path}: {e}") from e
    if bank.band is not band:
        raise ValueError(
            f"{path} says it is for '{bank.band.value}', but it is the file for '{band.value}'."
        )
    return bank


def read_phrase_banks(directory: Path | None = None) -> dict[AgeBand, PhraseBank]:
    return {band: read_phrase_bank(band, directory) for band in AgeBand}
