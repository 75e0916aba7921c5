"""Typed settings (settings.toml in the data folder) and the choice of practice profile.

Nothing here is personal data: the idle-lock minutes, the profile, the sync server's address,
the last login name. No passphrase, key or token goes in this file; the one exception is the
service's report key, which only pseudonymises children for the service-wide figures (it opens
nothing) and is the same on every laptop of the service, set there by the council's IT.
"""

from __future__ import annotations

import tomllib
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

from iro_desktop.domain.profile import PracticeProfile, load_profile
from iro_desktop.domain.report_facts import check_service_key
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
    # The service's report key: the same on every laptop of the service, never given to the
    # sync server. Name-free review facts name a child only by HMAC(report_key, LA child id),
    # so the server counts children without being able to tell who they are (see
    # domain/report_facts.py). Blank: this laptop sends no report facts.
    report_key: str = ""

    def validated(self) -> Settings:
        if not 1 <= self.idle_lock_minutes <= 120:
            raise ValueError("Idle lock must be between 1 and 120 minutes.")
        if self.report_key.strip():
            check_service_key(self.report_key)
        if self.profile not in available_profiles():
            raise ValueError(
                f"Unknown practice profile '{self.profile}'. "
                f"Choose one of: {', '.join(sorted(available_profiles()))}."
            )
        return self

    @classmethod
    def load(cls, path: Path) -> Settings:
        return cls.read(path)[0]

    @classmethod
    def read(cls, path: Path) -> tuple[Settings, str]:
        """The settings, and one line naming what could not be used ("" when all is well).

        A damaged settings file must never stop an IRO reaching their caseload: each bad
        setting falls back to its default and the good ones are kept.
        """
        if not path.exists():
            return cls(), ""
        try:
            raw = path.read_bytes()
        except OSError as exc:
            return cls(), f"{path} cannot be read ({exc.strerror or exc}); the defaults apply."
        problems: list[str] = []
        try:
            text, garbled = raw.decode("utf-8"), False
        except UnicodeDecodeError:
            # Keep what can be read; a value with an undecodable byte is the bad one.
            text, garbled = raw.decode("utf-8", errors="replace"), True
        data = _parse_leniently(text, problems)
        settings = cls()
        types = {f.name: type(getattr(settings, f.name)) for f in fields(cls)}
        for key, value in data.items():
            if key not in types:
                continue  # a setting from a newer version, or a typo: harmless either way
            problem = _check_value(key, value, types[key])
            if not problem and garbled and isinstance(value, str) and "\ufffd" in value:
                problem = "is not UTF-8 text"
            if problem:
                problems.append(f"{key} ({problem})")
            else:
                setattr(settings, key, value)
        if not problems:
            return settings, ""
        return settings, (
            f"Some settings in {path} could not be used, so their defaults apply: "
            f"{'; '.join(problems)}."
        )

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


def _parse_leniently(text: str, problems: list[str]) -> dict[str, Any]:
    """The whole file as TOML; failing that, line by line, so one bad line loses only itself."""
    try:
        return tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError):
        pass
    data: dict[str, Any] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            data.update(tomllib.loads(line))
        except (tomllib.TOMLDecodeError, RecursionError):
            problems.append(f"line {number} is not a setting")
    return data


def _check_value(key: str, value: Any, expected: type) -> str:
    """Why this value cannot be used for this setting ("" if it can)."""
    if type(value) is not expected:
        kind = {bool: "true or false", int: "a whole number", str: "text in quotes"}[expected]
        return f"should be {kind}"
    try:
        changes: dict[str, Any] = {key: value}
        replace(Settings(), **changes).validated()
    except ValueError as exc:
        return str(exc).rstrip(".")
    return ""


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
