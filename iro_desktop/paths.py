"""Where IRO Desktop keeps things: platformdirs folders, or --data-dir for tests and portable use."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "IRO Desktop"
APP_AUTHOR = "IRO Desktop"


@dataclass(frozen=True)
class DataPaths:
    root: Path

    @property
    def database(self) -> Path:
        return self.root / "caseload.db"

    @property
    def keyfile(self) -> Path:
        # Holds only wrapped (encrypted) copies of the data key and KDF parameters.
        return self.root / "keys.json"

    @property
    def unlock_state(self) -> Path:
        # Failed-unlock counter for the growing delay; no personal data.
        return self.root / "unlock-state.json"

    @property
    def lockfile(self) -> Path:
        return self.root / "caseload.lock"

    @property
    def settings(self) -> Path:
        return self.root / "settings.toml"

    def exists(self) -> bool:
        return self.keyfile.exists() and self.database.exists()


def default_data_dir() -> Path:
    override = os.environ.get("IRO_DESKTOP_DATA_DIR")
    if override:
        return Path(override)
    return Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))


def data_paths(data_dir: str | os.PathLike[str] | None) -> DataPaths:
    root = Path(data_dir) if data_dir else default_data_dir()
    return DataPaths(root.expanduser().resolve())
