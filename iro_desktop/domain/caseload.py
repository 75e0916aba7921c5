"""The caseload as the IRO sees it: children, their periods of care, episodes and people.

Plain data with validation. Storage maps these to tables; the window shows them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from iro_desktop.domain import codes
from iro_desktop.domain.calendar import check_in_range


def age_on(dob: date, on: date) -> int:
    """Whole years; a 29 February birthday counts from 1 March in other years (UK practice)."""
    years = on.year - dob.year
    birthday_this_year = (dob.month, dob.day)
    if birthday_this_year == (2, 29):
        birthday_this_year = (3, 1) if not _is_leap(on.year) else (2, 29)
    if (on.month, on.day) < birthday_this_year:
        years -= 1
    return years


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


@dataclass(frozen=True)
class Episode:
    """A run of time with one legal status and one placement (an SSDA903 Episodes row).

    `postcode` is the placement's (PL_POST), `home_postcode` the child's home (HOME_POST);
    `reason_ended` is REC ("X1" when care goes on in a new episode the same day) and
    `reason_place_change` the 903's REASON_PLACE_CHANGE for an episode that ended in a move.
    """

    start: date
    legal_status: str
    placement_type: str
    end: date | None = None
    provider: str = ""
    provider_kind: str = ""  # in_house | external
    postcode: str = ""
    in_area: bool = True
    distance_miles: float | None = None
    long_term_confirmed: date | None = None
    id: int | None = None
    reason_new: str = ""  # RNE
    category_of_need: str = ""  # CIN
    place_provider: str = ""  # PLACE_PROVIDER (PR0-PR5)
    reason_ended: str = ""  # REC
    reason_place_change: str = ""  # REASON_PLACE_CHANGE
    home_postcode: str = ""  # HOME_POST
    urn: str = ""  # Ofsted URN, "XXXXXXX" where the placement has none
    # Reg 28 variants: a connected carer approved temporarily under reg 24 (weekly visits to
    # the first review); the day the child agreed to 6-monthly visits in long-term foster care.
    temporary_approval: bool = False
    visits_six_monthly_agreed: date | None = None

    def validated(self) -> Episode:
        codes.check_legal_status(self.legal_status)
        codes.check_placement_type(self.placement_type)
        for value, table, what in (
            (self.reason_new, codes.REASONS_NEW_EPISODE, "reason for a new episode"),
            (self.category_of_need, codes.CATEGORIES_OF_NEED, "category of need"),
            (self.place_provider, codes.PLACEMENT_PROVIDERS, "placement provider code"),
            (self.reason_ended, codes.REASONS_EPISODE_CEASED, "reason the episode ended"),
            (self.reason_place_change, codes.REASONS_PLACE_CHANGE, "reason for the move"),
        ):
            if value:
                codes.check_code(value, table, what)
        check_in_range(self.start, "episode start")
        if self.end is not None and self.end < self.start:
            raise ValueError(
                f"The episode ends on {self.end.isoformat()}, before it starts on "
                f"{self.start.isoformat()}."
            )
        if self.provider_kind not in ("", "in_house", "external"):
            raise ValueError(f"Provider kind '{self.provider_kind}' must be in_house or external.")
        if self.distance_miles is not None and self.distance_miles < 0:
            raise ValueError("Distance from home cannot be negative.")
        if self.temporary_approval and self.placement_type not in codes.CONNECTED_CARER_PLACEMENTS:
            raise ValueError(
                "Temporary approval (reg 24) is for a relative or friend as foster carer "
                f"(placement U1-U3), not {self.placement_type}."
            )
        if self.visits_six_monthly_agreed is not None:
            if self.long_term_confirmed is None:
                raise ValueError(
                    "Visits up to every 6 months need the placement confirmed as long-term first."
                )
            if self.visits_six_monthly_agreed < self.long_term_confirmed:
                raise ValueError(
                    "The child's agreement to 6-monthly visits cannot be before the placement "
                    "was confirmed as long-term."
                )
        return self


@dataclass(frozen=True)
class PeriodOfCare:
    start: date
    end: date | None = None
    reason_ended: str = ""
    episodes: tuple[Episode, ...] = ()
    id: int | None = None

    @property
    def is_open(self) -> bool:
        return self.end is None

    @property
    def current_episode(self) -> Episode | None:
        return self.episodes[-1] if self.episodes else None

    def validated(self, dob: date) -> PeriodOfCare:
        check_in_range(self.start, "period of care start")
        if self.start < dob:
            raise ValueError(
                f"The period of care starts on {self.start.isoformat()}, before the child's "
                f"date of birth {dob.isoformat()}."
            )
        if self.end is not None and self.end < self.start:
            raise ValueError(
                f"The period of care ends on {self.end.isoformat()}, before it starts on "
                f"{self.start.isoformat()}."
            )
        for ep in self.episodes:
            ep.validated()
            if ep.start < self.start:
                raise ValueError(
                    f"An episode starts on {ep.start.isoformat()}, before its period of care "
                    f"starts on {self.start.isoformat()}."
                )
        return self


@dataclass(frozen=True)
class SocialWorkerVisit:
    """A statutory visit by the social worker (reg 28): what the visit timescale counts from."""

    visited_on: date
    seen_alone: bool | None = None  # None: not recorded
    by: str = ""
    note: str = ""
    id: int | None = None

    def validated(self, dob: date) -> SocialWorkerVisit:
        check_in_range(self.visited_on, "visit date")
        if self.visited_on < dob:
            raise ValueError(
                f"The visit on {self.visited_on.isoformat()} is before the child was born."
            )
        return self


@dataclass(frozen=True)
class PlacedForAdoption:
    """The 903 PlacedAdoption row: the decision that the child should be placed for adoption
    (DATE_PLACED) and, where it was reversed, when and why (DATE_PLACED_CEASED, RD1-RD4)."""

    decided_on: date
    ceased_on: date | None = None
    reason_ceased: str = ""
    id: int | None = None

    def validated(self, dob: date) -> PlacedForAdoption:
        check_in_range(self.decided_on, "date of the adoption decision")
        if self.decided_on < dob:
            raise ValueError("The adoption decision cannot be before the child was born.")
        if self.ceased_on is not None and self.ceased_on < self.decided_on:
            raise ValueError(
                f"The adoption decision cannot end on {self.ceased_on.isoformat()}, before it "
                f"was made on {self.decided_on.isoformat()}."
            )
        if (self.ceased_on is None) != (not self.reason_ceased):
            raise ValueError(
                "When the adoption decision is reversed, give both the date and the reason."
            )
        if self.reason_ceased:
            codes.check_code(self.reason_ceased, codes.REASONS_PLACED_CEASED, "reason")
        return self


@dataclass(frozen=True)
class MissingEpisode:
    """A time the child was missing (M) or away without authorisation (A): the 903 Missing."""

    kind: str
    start: date
    end: date | None = None
    id: int | None = None

    def validated(self, dob: date) -> MissingEpisode:
        codes.check_code(self.kind, codes.MISSING_KINDS, "missing code (M or A)")
        check_in_range(self.start, "date the child went missing")
        if self.start < dob:
            raise ValueError("A missing episode cannot start before the child was born.")
        if self.end is not None and self.end < self.start:
            raise ValueError("A missing episode cannot end before it starts.")
        return self


@dataclass(frozen=True)
class Person:
    role: str
    name: str
    organisation: str = ""
    phone: str = ""
    email: str = ""
    notes: str = ""
    id: int | None = None

    def validated(self) -> Person:
        codes.check_person_role(self.role)
        if not self.name.strip():
            raise ValueError("A person around the child needs a name.")
        return self


@dataclass(frozen=True)
class ReviewSummary:
    """One line of a child's review history (the review issue deepens the full record)."""

    id: str
    kind: str
    status: str
    due_date: date
    sequence: int = 1
    timeliness_date: date | None = None
    completed_date: date | None = None
    pn_code: str = ""
    is_extra: bool = False
    meeting_dates: tuple[date, ...] = ()

    @property
    def in_timescale(self) -> bool | None:
        if self.timeliness_date is None:
            return None
        return self.timeliness_date <= self.due_date


@dataclass(frozen=True)
class Child:
    id: str
    la_child_id: str
    legal_first_name: str
    legal_last_name: str
    date_of_birth: date
    sex: str
    preferred_name: str = ""
    ethnicity: str = ""
    uasc: bool = False
    disability: str = ""
    communication_needs: str = ""
    sibling_group: str = ""
    allocated_iro: str = ""
    allocated_on: date | None = None
    care_leaver: bool = False
    periods: tuple[PeriodOfCare, ...] = ()
    people: tuple[Person, ...] = ()
    reviews: tuple[ReviewSummary, ...] = field(default=())
    upn: str = ""
    first_language: str = ""
    interpreter_needed: bool = False
    uasc_ceased: date | None = None  # DUC
    mother: str = ""  # 903 MOTHER: "1" is a mother, "0" is not, "" not recorded
    mother_child_dob: date | None = None  # MC_DOB
    visits: tuple[SocialWorkerVisit, ...] = ()
    adoption_decisions: tuple[PlacedForAdoption, ...] = ()
    missing: tuple[MissingEpisode, ...] = ()

    @property
    def last_visit(self) -> date | None:
        return max((v.visited_on for v in self.visits), default=None)

    @property
    def name(self) -> str:
        return f"{self.legal_first_name} {self.legal_last_name}".strip()

    @property
    def known_as(self) -> str:
        return self.preferred_name or self.legal_first_name

    @property
    def display_name(self) -> str:
        if self.preferred_name and self.preferred_name != self.legal_first_name:
            return f"{self.known_as} ({self.name})"
        return self.name

    @property
    def current_period(self) -> PeriodOfCare | None:
        open_periods = [p for p in self.periods if p.is_open]
        return open_periods[-1] if open_periods else (self.periods[-1] if self.periods else None)

    def age(self, on: date) -> int:
        return age_on(self.date_of_birth, on)

    def validated(self) -> Child:
        if not self.legal_first_name.strip() or not self.legal_last_name.strip():
            raise ValueError("A child needs a legal first name and last name.")
        if not self.la_child_id.strip():
            raise ValueError("A child needs the local authority's child identifier.")
        codes.check_sex(self.sex)
        # Care leavers can be up to 25, so birth years before 2000 are allowed here.
        if not (1995 <= self.date_of_birth.year <= 2040):
            raise ValueError(
                f"The date of birth {self.date_of_birth.isoformat()} is not possible for a child "
                "or care leaver on this caseload."
            )
        for period in self.periods:
            period.validated(self.date_of_birth)
        for person in self.people:
            person.validated()
        for visit in self.visits:
            visit.validated(self.date_of_birth)
        for decision in self.adoption_decisions:
            decision.validated(self.date_of_birth)
        for gone in self.missing:
            gone.validated(self.date_of_birth)
        if self.ethnicity and self.ethnicity not in codes.ETHNICITIES:
            codes.check_code(self.ethnicity, codes.ETHNICITIES, "ethnicity code")
        if self.mother not in ("", "0", "1"):
            raise ValueError("Mother must be 1 (yes), 0 (no) or left blank.")
        return self
