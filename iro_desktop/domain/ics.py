"""Due dates as an iCalendar (RFC 5545) file that Outlook and other calendars open.

Each event is an all-day entry with a UID that stays the same for the same thing being due,
so importing a fresh export updates the IRO's calendar instead of duplicating it. The text is
built by hand (no extra dependency): escaping, 75-octet line folding and CRLF line ends are
the parts calendar programs are strict about.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

PRODID = "-//IRO Desktop//Due dates//EN"
_MAX_LINE_OCTETS = 75
_CRLF = "\r\n"


@dataclass(frozen=True)
class CalendarEvent:
    """One all-day entry: a review due, a visit window closing, minutes due."""

    uid: str
    date: date
    summary: str
    description: str = ""

    def __post_init__(self) -> None:
        if not self.uid.strip():
            raise ValueError(f"A calendar entry needs an identifier (entry {self.summary!r}).")
        if not self.summary.strip():
            raise ValueError(f"A calendar entry needs a title (entry on {self.date}).")


def escape_text(value: str) -> str:
    """Escape a TEXT value: backslash, semicolon, comma and line breaks (RFC 5545 3.3.11)."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\n", "\\n")


def fold_line(line: str) -> str:
    """Fold a content line so no physical line exceeds 75 octets (RFC 5545 3.1).

    Continuation lines start with one space, which counts towards their 75 octets. A line is
    never split inside a multi-byte UTF-8 character.
    """
    pieces: list[str] = []
    current: list[str] = []
    used = 0
    limit = _MAX_LINE_OCTETS
    for char in line:
        size = len(char.encode("utf-8"))
        if used + size > limit:
            pieces.append("".join(current))
            current = [" "]
            used = 1
        current.append(char)
        used += size
    pieces.append("".join(current))
    return _CRLF.join(pieces)


def _utc_stamp(moment: datetime) -> str:
    # A naive time is taken to be UTC already; an aware one is converted.
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime("%Y%m%dT%H%M%SZ")


def _event_lines(event: CalendarEvent, stamp: str) -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        f"UID:{escape_text(event.uid)}",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{event.date:%Y%m%d}",
        f"DTEND;VALUE=DATE:{event.date + timedelta(days=1):%Y%m%d}",
        f"SUMMARY:{escape_text(event.summary)}",
    ]
    if event.description:
        lines.append(f"DESCRIPTION:{escape_text(event.description)}")
    # A due date is a reminder, not a meeting: it should not show the IRO as busy.
    lines += ["TRANSP:TRANSPARENT", "END:VEVENT"]
    return lines


def to_ics(
    events: Iterable[CalendarEvent], now: datetime, calendar_name: str = "IRO Desktop"
) -> str:
    """The whole calendar as text with CRLF line ends, ready to write as a .ics file."""
    stamp = _utc_stamp(now)
    lines = [
        "BEGIN:VCALENDAR",
        f"PRODID:{PRODID}",
        "VERSION:2.0",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(calendar_name)}",
    ]
    seen: set[str] = set()
    for event in events:
        if event.uid in seen:
            raise ValueError(f"Two calendar entries share the identifier {event.uid!r}.")
        seen.add(event.uid)
        lines += _event_lines(event, stamp)
    lines.append("END:VCALENDAR")
    return "".join(fold_line(line) + _CRLF for line in lines)
