"""Settings of the sync server, from command-line options and environment variables."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from iro_desktop.domain.calendar import ENGLAND_AND_WALES, WorkingCalendar
from iro_desktop.domain.escalation import PROTOCOLS, EscalationProtocol, protocol_from_mapping

DEFAULT_TOKEN_LIFETIME = timedelta(hours=8)  # one working day, then sign in again
DEFAULT_MAX_BODY_BYTES = 2 * 1024 * 1024
DEFAULT_PULL_LIMIT = 500
DATABASE_FILE = "iro-sync.sqlite3"

# Fault injection for durability tests: when set to a file path, a push writes that file and
# then pauses before committing, so a test can kill the server mid-push. Never set in service.
FAULT_PAUSE_ENV = "IRO_SYNC_FAULT_PAUSE_BEFORE_COMMIT"


@dataclass(frozen=True)
class ServerConfig:
    database_url: str
    token_lifetime: timedelta = DEFAULT_TOKEN_LIFETIME
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    protocol: EscalationProtocol = PROTOCOLS["manchester"]
    calendar: WorkingCalendar = field(default=ENGLAND_AND_WALES, compare=False)
    pull_limit: int = DEFAULT_PULL_LIMIT
    fault_pause_marker: Path | None = None


def database_url(data_dir: Path | None, url: str | None, *, create: bool = True) -> str:
    """An explicit URL (PostgreSQL in production) wins; otherwise SQLite in the data folder,
    which is made unless `create` is false (a check changes nothing)."""
    if url:
        return url
    if data_dir is None:
        raise ValueError("Give --data-dir DIR (SQLite there) or --database-url URL.")
    if create:
        data_dir.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{(data_dir / DATABASE_FILE).resolve()}"


def load_profile(spec: str) -> tuple[EscalationProtocol, WorkingCalendar]:
    """A built-in protocol name (manchester, cheshire_east) or a practice-profile TOML path."""
    if spec in PROTOCOLS:
        return PROTOCOLS[spec], ENGLAND_AND_WALES
    path = Path(spec)
    if not path.is_file():
        raise ValueError(
            f"'{spec}' is neither a built-in protocol ({', '.join(PROTOCOLS)}) nor a "
            "practice-profile TOML file."
        )
    with path.open("rb") as handle:
        try:
            profile = tomllib.load(handle)
        except tomllib.TOMLDecodeError as error:
            raise ValueError(f"{path} is not valid TOML: {error}") from None
    if "escalation" not in profile:
        raise ValueError(f"{path} has no [escalation] table.")
    closures = profile.get("closure_days", [])
    try:
        days = [d if isinstance(d, date) else date.fromisoformat(d) for d in closures]
    except (TypeError, ValueError):
        raise ValueError(f"closure_days in {path} must be dates (YYYY-MM-DD).") from None
    return protocol_from_mapping(profile["escalation"]), WorkingCalendar(days)


def env_seconds(name: str) -> timedelta | None:
    raw = os.environ.get(name)
    if not raw:
        return None
    try:
        seconds = float(raw)
    except ValueError:
        raise ValueError(f"{name} must be a number of seconds, not {raw!r}.") from None
    if seconds <= 0:
        raise ValueError(f"{name} must be more than 0 seconds, not {raw!r}.")
    return timedelta(seconds=seconds)


def token_lifetime(seconds: float | None) -> timedelta:
    """--token-lifetime if given, else IRO_SYNC_TOKEN_LIFETIME, else the default."""
    if seconds is not None:
        if seconds <= 0:
            raise ValueError(f"--token-lifetime must be more than 0 seconds, not {seconds}.")
        return timedelta(seconds=seconds)
    return env_seconds("IRO_SYNC_TOKEN_LIFETIME") or DEFAULT_TOKEN_LIFETIME


def check_max_body_bytes(value: int) -> int:
    if value <= 0:
        raise ValueError(f"--max-body-bytes must be more than 0, not {value}.")
    return value
