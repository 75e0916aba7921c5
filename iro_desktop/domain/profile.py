"""The local authority's practice profile: the local timescales and escalation protocol.

The two authorities in the seeds differ (Manchester sends minutes within 20 working days,
Cheshire East within 15; their escalation protocols have six and three stages), so these are
settings read from TOML, never constants in code. This module only parses and checks text;
finding and reading the files is `iro_desktop.settings`' job.

Layout of a profile (every key is required unless marked optional)::

    key = "manchester"
    name = "Manchester IRO Service"
    authority = "Manchester City Council"
    closure_days = []                     # e.g. ["2026-12-29", "2026-12-30"]

    [timescales]
    first_review_working_days = 20
    recommendations_working_days = 5
    minutes_working_days = 20
    visit_window_weeks = 6
    social_worker_report_working_days_before = 3
    series_basis = "first_meeting"        # or "last_meeting"

    [caseload]
    guidance = [50, 70]

    [escalation]                          # kept as raw data for the escalation module
    ...
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from typing import Any

from iro_desktop.domain.calendar import WorkingCalendar
from iro_desktop.domain.escalation_protocol import partner_themes
from iro_desktop.domain.timescales import FIRST_REVIEW_WORKING_DAYS, SeriesBasis, check_date

_MAX_WORKING_DAYS = 60


@dataclass(frozen=True)
class PracticeProfile:
    key: str
    name: str
    authority: str
    minutes_working_days: int = 20
    recommendations_working_days: int = 5
    first_review_working_days: int = 20
    visit_window_weeks: int = 6
    caseload_guidance: tuple[int, int] = (50, 70)
    series_basis: SeriesBasis = SeriesBasis.FIRST_MEETING
    closure_days: frozenset[date] = frozenset()
    social_worker_report_working_days_before: int = 3
    # Care leavers: the IRO reviews pathway plans until this age (local practice: 18 unless
    # the service says otherwise; Cheshire East reviews 18-21 year olds).
    pathway_reviews_until_age: int = 18
    # Whether the service expects a mid-point review halfway between reviews (then it is on
    # the Due dashboard until one is recorded): `[timescales] midpoint_reviews = true`.
    midpoint_reviews: bool = False
    # Raw [escalation] table; the escalation module turns it into stages. Not hashed: a dict.
    escalation: Mapping[str, Any] = field(default_factory=dict, hash=False)

    @cached_property
    def calendar(self) -> WorkingCalendar:
        """England and Wales working days plus this practice's closure days."""
        return WorkingCalendar(self.closure_days)

    def caseload_guidance_words(self) -> str:
        low, high = self.caseload_guidance
        return f"{low}-{high}"


class _Reader:
    """Typed access to a parsed TOML table, with errors naming the dotted setting."""

    def __init__(self, table: Mapping[str, Any], prefix: str = "") -> None:
        self.table = table
        self.prefix = prefix
        self.used: set[str] = set()

    def name(self, key: str) -> str:
        return f"{self.prefix}{key}"

    def raw(self, key: str) -> Any:
        self.used.add(key)
        if key not in self.table:
            near = difflib.get_close_matches(key, [k for k in self.table if k != key], n=1)
            hint = f" (is '{self.name(near[0])}' a misspelling of it?)" if near else ""
            raise ValueError(
                f"The practice profile is missing the setting '{self.name(key)}'{hint}."
            )
        return self.table[key]

    def text(self, key: str) -> str:
        value = self.raw(key)
        if not isinstance(value, str) or not value.strip():
            raise ValueError(
                f"The practice profile setting '{self.name(key)}' must be some text, not {value!r}."
            )
        return value.strip()

    def whole_number(self, key: str, low: int, high: int) -> int:
        value = self.raw(key)
        # bool is an int in Python; `true` is never a sensible number of days.
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValueError(
                f"The practice profile setting '{self.name(key)}' must be a whole number "
                f"from {low} to {high}, not {value!r}."
            )
        return value

    def sub_table(self, key: str) -> _Reader:
        value = self.raw(key)
        if not isinstance(value, dict):
            raise ValueError(
                f"The practice profile setting '{self.name(key)}' must be a table "
                f"([{self.name(key)}]), not {value!r}."
            )
        return _Reader(value, f"{self.name(key)}.")

    def refuse_unknown(self) -> None:
        unknown = sorted(set(self.table) - self.used)
        if unknown:
            names = ", ".join(f"'{self.name(k)}'" for k in unknown)
            raise ValueError(
                f"The practice profile has setting(s) IRO Desktop does not know: {names}. "
                "Check the spelling."
            )


def _closure_day(value: object) -> date:
    day: date | None = None
    # A TOML date-time is a datetime (a date subclass); a closure is a whole day.
    if isinstance(value, date) and not isinstance(value, datetime):
        day = value
    elif isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        try:
            day = date.fromisoformat(value.strip())
        except ValueError:
            day = None
    if day is None:
        raise ValueError(
            f"The closure day {value!r} is not a date; write it as "
            '"YYYY-MM-DD", for example "2026-12-29".'
        )
    check_date(day, "closure day")
    return day


def load_profile(text: str) -> PracticeProfile:
    """Parse and check a practice profile written in TOML."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ValueError(f"The practice profile is not valid TOML: {error}.") from None

    top = _Reader(document)
    key = top.text("key")
    if not re.fullmatch(r"[a-z0-9_]+", key):
        raise ValueError(
            f"The practice profile 'key' must be lower-case letters, digits and underscores "
            f'(for example "cheshire_east"), not {key!r}.'
        )
    name = top.text("name")
    authority = top.text("authority")

    timescales = top.sub_table("timescales")
    # Reg 33 sets 20 working days as the most a service may allow; it may aim for sooner.
    first_review = timescales.whole_number(
        "first_review_working_days", 1, FIRST_REVIEW_WORKING_DAYS
    )
    recommendations = timescales.whole_number("recommendations_working_days", 1, _MAX_WORKING_DAYS)
    minutes = timescales.whole_number("minutes_working_days", 1, _MAX_WORKING_DAYS)
    visit_weeks = timescales.whole_number("visit_window_weeks", 1, 26)
    report_before = timescales.whole_number(
        "social_worker_report_working_days_before", 0, _MAX_WORKING_DAYS
    )
    basis_text = timescales.text("series_basis")
    try:
        basis = SeriesBasis(basis_text)
    except ValueError:
        choices = " or ".join(f'"{b.value}"' for b in SeriesBasis)
        raise ValueError(
            f"The practice profile setting 'timescales.series_basis' must be {choices}, "
            f"not {basis_text!r}."
        ) from None
    midpoint_reviews = False
    if "midpoint_reviews" in timescales.table:
        midpoint_reviews = timescales.raw("midpoint_reviews")
        if not isinstance(midpoint_reviews, bool):
            raise ValueError(
                "The practice profile setting 'timescales.midpoint_reviews' must be true or "
                f"false, not {midpoint_reviews!r}."
            )
    timescales.refuse_unknown()

    caseload = top.sub_table("caseload")
    guidance = caseload.raw("guidance")
    if (
        not isinstance(guidance, list)
        or len(guidance) != 2
        or not all(isinstance(n, int) and not isinstance(n, bool) and n > 0 for n in guidance)
        or guidance[0] > guidance[1]
    ):
        raise ValueError(
            "The practice profile setting 'caseload.guidance' must be two whole numbers, "
            f"lowest first, for example [50, 70], not {guidance!r}."
        )
    caseload.refuse_unknown()

    listed = top.raw("closure_days")
    if not isinstance(listed, list):
        raise ValueError(
            "The practice profile setting 'closure_days' must be a list of dates, "
            f'for example ["2026-12-29"], not {listed!r}.'
        )
    closure_days = frozenset(_closure_day(v) for v in listed)

    escalation = top.sub_table("escalation").table
    # A council's own issue themes: a bad entry is named now, not when an escalation is raised.
    partner_themes(escalation)
    until_age = 18
    if "care_leavers" in top.table:
        care_leavers = top.sub_table("care_leavers")
        until_age = care_leavers.whole_number("pathway_reviews_until_age", 18, 25)
        care_leavers.refuse_unknown()
    top.refuse_unknown()

    return PracticeProfile(
        key=key,
        name=name,
        authority=authority,
        minutes_working_days=minutes,
        recommendations_working_days=recommendations,
        first_review_working_days=first_review,
        visit_window_weeks=visit_weeks,
        caseload_guidance=(guidance[0], guidance[1]),
        series_basis=basis,
        closure_days=closure_days,
        social_worker_report_working_days_before=report_before,
        pathway_reviews_until_age=until_age,
        midpoint_reviews=midpoint_reviews,
        escalation=escalation,
    )
