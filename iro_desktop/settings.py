"""Typed settings (settings.toml in the data folder) and the choice of practice profile.

Nothing here is personal data: the idle-lock minutes, the profile, the sync server's address,
the last login name. Secrets never go in this file.
"""

from __future__ import annotations

import tomllib
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from iro_desktop.domain.profile import PracticeProfile, load_profile
from iro_desktop.resources import resource_path
from iro_desktop.store.keys import atomic_write

DEFAULT_PROFILE = "manchester"


@dataclass
class Settings:
    profile: str = DEFAULT_PROFILE
    idle_lock_minutes: int = 5
    last_login: str = ""
    server_url: str = ""
    sync_user: str = ""
    allow_insecure_http: bool = False
    large_print_letters: bool = False

    def validated(self) -> Settings:
        if not 1 <= self.idle_lock_minutes <= 120:
            raise ValueError("Idle lock must be between 1 and 120 minutes.")
        if self.profile not in available_profiles():
            raise ValueError(
                f"Unknown practice profile '{self.profile}'. "
                f"Choose one of: {', '.join(sorted(available_profiles()))}."
            )
        return self

    @classmethod
    def load(cls, path: Path) -> Settings:
        if not path.exists():
            return cls()
        try:
            data = tomllib.loads(path.read_text("utf-8"))
        except (OSError, tomllib.TOMLDecodeError):
            # A damaged settings file must never stop an IRO reaching their caseload.
            return cls()
        known = {f.name for f in fields(cls)}
        kwargs: dict[str, Any] = {k: v for k, v in data.items() if k in known}
        try:
            return cls(**kwargs).validated()
        except (TypeError, ValueError):
            return cls()

    def save(self, path: Path) -> None:
        lines = []
        for key, value in asdict(self).items():
            if isinstance(value, bool):
                lines.append(f"{key} = {'true' if value else 'false'}")
            elif isinstance(value, int):
                lines.append(f"{key} = {value}")
            else:
                escaped = str(value).replace("\\", "\\\\").replace('"', '\\"')
                lines.append(f'{key} = "{escaped}"')
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, ("\n".join(lines) + "\n").encode("utf-8"))


def profiles_dir() -> Path:
    return resource_path("profiles")


def available_profiles() -> dict[str, Path]:
    return {p.stem: p for p in sorted(profiles_dir().glob("*.toml"))}


_profile_cache: dict[str, PracticeProfile] = {}


def practice_profile(key: str) -> PracticeProfile:
    if key not in _profile_cache:
        path = available_profiles().get(key)
        if path is None:
            raise ValueError(f"Unknown practice profile '{key}'.")
        _profile_cache[key] = load_profile(path.read_text("utf-8"))
    return _profile_cache[key]
