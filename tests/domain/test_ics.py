"""The .ics export: what Outlook needs to open it, parsed back line by line."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from iro_desktop.domain.ics import CalendarEvent, escape_text, fold_line, to_ics

NOW = datetime(2026, 11, 23, 9, 30, 5, tzinfo=UTC)


def _physical_lines(text: str) -> list[str]:
    assert text.endswith("\r\n")
    body = text[: -len("\r\n")]
    assert "\n" not in body.replace("\r\n", "")  # no bare LF anywhere
    assert "\r" not in body.replace("\r\n", "")
    return body.split("\r\n")


def _unfold(text: str) -> list[str]:
    return text.replace("\r\n ", "").removesuffix("\r\n").split("\r\n")


def _unescape(value: str) -> str:
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m[1] in "nN" else m[1], value)


def _events(text: str) -> list[dict[str, str]]:
    events: list[dict[str, str]] = []
    current: dict[str, str] | None = None
    for line in _unfold(text):
        name, _, value = line.partition(":")
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            assert current is not None
            events.append(current)
            current = None
        elif current is not None:
            current[name] = value
    return events


def test_calendar_header_and_all_day_events() -> None:
    events = [
        CalendarEvent("review-1@iro-desktop", date(2026, 12, 29), "Review due: Poppy Testwood"),
        CalendarEvent(
            "minutes-1@iro-desktop",
            date(2027, 1, 4),
            "Letter to the child: Alfie Samplesworth",
            "Overdue by 2 working days",
        ),
    ]
    text = to_ics(events, NOW)
    lines = _unfold(text)
    assert lines[:5] == [
        "BEGIN:VCALENDAR",
        "PRODID:-//IRO Desktop//Due dates//EN",
        "VERSION:2.0",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ]
    assert lines[-1] == "END:VCALENDAR"
    parsed = _events(text)
    assert parsed[0] == {
        "UID": "review-1@iro-desktop",
        "DTSTAMP": "20261123T093005Z",
        "DTSTART;VALUE=DATE": "20261229",
        "DTEND;VALUE=DATE": "20261230",
        "SUMMARY": "Review due: Poppy Testwood",
        "TRANSP": "TRANSPARENT",
    }
    assert parsed[1]["DESCRIPTION"] == "Overdue by 2 working days"
    assert parsed[1]["DTEND;VALUE=DATE"] == "20270105"


def test_same_events_give_the_same_file() -> None:
    events = [CalendarEvent("a@x", date(2026, 1, 5), "Review due: Test Child")]
    assert to_ics(events, NOW) == to_ics(list(events), NOW)


def test_dtstamp_is_utc() -> None:
    summer = datetime(2026, 7, 1, 10, 0, 0, tzinfo=timezone(timedelta(hours=1)))
    text = to_ics([CalendarEvent("a@x", date(2026, 7, 1), "x")], summer)
    assert _events(text)[0]["DTSTAMP"] == "20260701T090000Z"


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("Review, then letter", "Review\\, then letter"),
        ("Health; education", "Health\\; education"),
        ("C:\\temp", "C:\\\\temp"),
        ("line one\nline two", "line one\\nline two"),
        ("windows\r\nline", "windows\\nline"),
    ],
)
def test_text_is_escaped(raw: str, escaped: str) -> None:
    assert escape_text(raw) == escaped
    event = CalendarEvent("a@x", date(2026, 1, 5), "Summary", raw)
    parsed = _events(to_ics([event], NOW))[0]
    assert parsed["DESCRIPTION"] == escaped
    assert _unescape(parsed["DESCRIPTION"]) == raw.replace("\r\n", "\n")


def test_long_lines_are_folded_at_75_octets() -> None:
    description = "Dear Amira, " * 30 + "Zoë's review – “family time” ✓ 😀" * 5
    event = CalendarEvent("fold@x", date(2026, 1, 5), "Review due", description)
    text = to_ics([event], NOW)
    physical = _physical_lines(text)
    assert max(len(line.encode("utf-8")) for line in physical) <= 75
    assert any(line.startswith(" ") for line in physical)
    parsed = _events(text)[0]
    assert _unescape(parsed["DESCRIPTION"]) == description


@given(st.text(max_size=400))
def test_any_text_survives_folding_and_escaping(value: str) -> None:
    line = "DESCRIPTION:" + escape_text(value)
    folded = fold_line(line)
    for physical in folded.split("\r\n"):
        assert len(physical.encode("utf-8")) <= 75
    assert folded.replace("\r\n ", "") == line
    assert _unescape(escape_text(value)) == value.replace("\r\n", "\n").replace("\r", "\n")


def test_a_line_of_exactly_75_octets_is_not_folded() -> None:
    line = "X" * 75
    assert fold_line(line) == line
    assert fold_line(line + "Y") == line + "\r\n Y"


def test_bad_events_are_refused() -> None:
    with pytest.raises(ValueError, match="identifier"):
        CalendarEvent(" ", date(2026, 1, 5), "Review due")
    with pytest.raises(ValueError, match="title"):
        CalendarEvent("a@x", date(2026, 1, 5), "")
    duplicate = CalendarEvent("a@x", date(2026, 1, 5), "Review due")
    with pytest.raises(ValueError, match="share the identifier 'a@x'"):
        to_ics([duplicate, duplicate], NOW)


def test_empty_calendar_is_still_a_calendar() -> None:
    assert _unfold(to_ics([], NOW))[-2:] == ["X-WR-CALNAME:IRO Desktop", "END:VCALENDAR"]
