"""The tables on a child's page: care history (SSDA903 episodes in the IRO's words, with the
codes), social worker visits, reviews, people, adoption decisions and missing episodes."""

from __future__ import annotations

from datetime import date

from iro_desktop.domain import codes
from iro_desktop.domain.caseload import (
    Episode,
    MissingEpisode,
    Person,
    PlacedForAdoption,
    ReviewSummary,
    SocialWorkerVisit,
)
from iro_desktop.ui.entry import code_words
from iro_desktop.ui.qt_models import BLANK_LAST, Column
from iro_desktop.ui.widgets import uk_date

REVIEW_KINDS = {
    "looked_after": "Looked-after review",
    "pathway_plan": "Pathway plan review",
}

# The same words as domain.review_record.ReviewStatus.label (kept here so this page does not
# depend on the review module's internals).
REVIEW_STATUSES = {
    "planned": "Planned",
    "preparing": "Preparing",
    "held": "Held",
    "completed": "Completed",
    "recommendations_issued": "Recommendations issued",
    "letter_drafted": "Letter drafted",
    "submitted": "Submitted for sign-off",
    "approved": "Approved",
    "issued": "Issued",
    "stood_down": "Stood down",
}

ROLE_ORDER = list(codes.PERSON_ROLES)
ALL_PLACEMENTS = {**codes.PLACEMENT_TYPES, **codes.LEGACY_PLACEMENT_TYPES}
PROVIDER_SHORT = {
    "PR0": "Parents",
    "PR1": "Own council",
    "PR2": "Other council",
    "PR3": "Other public",
    "PR4": "Private",
    "PR5": "Voluntary",
}


# Short words for the care history table (the full words are in each cell's tooltip).
BEGAN_SHORT = {
    "S": "Care began",
    "L": "Legal status",
    "P": "Placement",
    "T": "Status and placement",
    "U": "Same carer",
    "B": "Status, same carer",
}
ENDED_SHORT = {
    "X1": "Care went on",
    "E11": "Adopted",
    "E12": "Adopted",
    "E2": "Died",
    "E3": "Another council",
    "E4A": "Home (care plan)",
    "E4B": "Home (not planned)",
    "E13": "To family",
    "E41": "Child arrangements",
    "E45": "Special guardianship",
    "E46": "Special guardianship",
    "E47": "Special guardianship",
    "E48": "Special guardianship",
    "E5": "Independent, supported",
    "E6": "Independent living",
    "E7": "Adult social care",
    "E8": "Another reason",
    "E9": "Custody",
    "E14": "Remand ended",
    "E15": "Assessed as 18+",
    "E16": "Moved abroad",
    "E17": "Staying put",
}
MOVE_SHORT = {
    "CARPL": "Care plan",
    "CLOSE": "Placement closed",
    "ALLEG": "Allegation",
    "STAND": "Standard of care",
    "APPRR": "Approval removed",
    "CREQB": "Carer: behaviour",
    "CREQO": "Carer: other",
    "CHILD": "Child asked",
    "LAREQ": "Council asked",
    "PLACE": "Placement status",
    "CUSTOD": "Custody",
    "OTHER": "Other",
}


def ord_(d: date | None) -> int:
    return d.toordinal() if d is not None else BLANK_LAST


def where(e: Episode) -> str:
    """The placement's postcode, or 'Out of area' when that is all that is known."""
    if e.postcode:
        return e.postcode if e.in_area else f"{e.postcode} (out of area)"
    return "" if e.in_area else "Out of area"


def _placement_tip(e: Episode) -> str:
    words = ALL_PLACEMENTS.get(e.placement_type, "")
    return f"{e.placement_type} {words}" + (f"\n{e.provider}" if e.provider else "")


def _began_tip(e: Episode) -> str:
    need = code_words(e.category_of_need, codes.CATEGORIES_OF_NEED)
    began = code_words(e.reason_new, codes.REASONS_NEW_EPISODE)
    return began + (f"\nCategory of need: {need}" if need else "")


EPISODE_COLUMNS: list[Column[Episode]] = [
    Column("From", lambda e: uk_date(e.start), sort_key=lambda e: ord_(e.start), width_chars=11),
    Column(
        "To", lambda e: uk_date(e.end, "Continuing"), sort_key=lambda e: ord_(e.end), width_chars=11
    ),
    Column(
        "Legal status",
        lambda e: code_words(e.legal_status, codes.LEGAL_STATUSES),
        tooltip=lambda e: code_words(e.legal_status, codes.LEGAL_STATUSES),
        width_chars=17,
    ),
    Column(
        "Placement",
        lambda e: code_words(e.placement_type, codes.PLACEMENT_SHORT),
        tooltip=_placement_tip,
        width_chars=18,
    ),
    Column(
        "Provider",
        lambda e: code_words(e.place_provider, PROVIDER_SHORT),
        tooltip=lambda e: code_words(e.place_provider, codes.PLACEMENT_PROVIDERS),
        heading_tip="The 903 placement provider code (PLACE_PROVIDER)",
        width_chars=15,
    ),
    Column(
        "Postcode",
        where,
        heading_tip="The placement's postcode (PL_POST), or 'Out of area'",
        width_chars=9,
    ),
    Column(
        "Why it began",
        lambda e: code_words(e.reason_new, BEGAN_SHORT),
        tooltip=_began_tip,
        heading_tip="The reason for the new episode (RNE)",
        width_chars=13,
    ),
    Column(
        "Why it ended",
        lambda e: code_words(e.reason_ended, ENDED_SHORT),
        tooltip=lambda e: code_words(e.reason_ended, codes.REASONS_EPISODE_CEASED),
        heading_tip="The reason the episode ceased (REC)",
        width_chars=15,
    ),
    Column(
        "Reason for the move",
        lambda e: code_words(e.reason_place_change, MOVE_SHORT),
        tooltip=lambda e: code_words(e.reason_place_change, codes.REASONS_PLACE_CHANGE),
        heading_tip="Why the placement changed (REASON_PLACE_CHANGE)",
        width_chars=14,
    ),
]


def _seen_alone(v: SocialWorkerVisit) -> str:
    return {True: "Yes", False: "No"}.get(v.seen_alone, "Not recorded")  # type: ignore[arg-type]


VISIT_COLUMNS: list[Column[SocialWorkerVisit]] = [
    Column(
        "Date",
        lambda v: uk_date(v.visited_on),
        sort_key=lambda v: ord_(v.visited_on),
        width_chars=12,
    ),
    Column("Seen alone", _seen_alone, width_chars=12),
    Column("By", lambda v: v.by, width_chars=22),
    Column("Note", lambda v: v.note, tooltip=lambda v: v.note, width_chars=30),
]

ADOPTION_COLUMNS: list[Column[PlacedForAdoption]] = [
    Column(
        "Decided",
        lambda a: uk_date(a.decided_on),
        sort_key=lambda a: ord_(a.decided_on),
        width_chars=12,
    ),
    Column("Reversed", lambda a: uk_date(a.ceased_on, "No"), width_chars=12),
    Column(
        "Why reversed",
        lambda a: code_words(a.reason_ceased, codes.REASONS_PLACED_CEASED),
        width_chars=24,
    ),
]

MISSING_COLUMNS: list[Column[MissingEpisode]] = [
    Column("Kind", lambda m: code_words(m.kind, codes.MISSING_KINDS), width_chars=20),
    Column("From", lambda m: uk_date(m.start), sort_key=lambda m: ord_(m.start), width_chars=12),
    Column("To", lambda m: uk_date(m.end, "Not back yet"), width_chars=12),
]

PEOPLE_COLUMNS: list[Column[Person]] = [
    Column(
        "Role",
        lambda p: codes.PERSON_ROLES.get(p.role, p.role),
        sort_key=lambda p: ROLE_ORDER.index(p.role) if p.role in ROLE_ORDER else len(ROLE_ORDER),
        width_chars=18,
    ),
    Column("Name", lambda p: p.name, width_chars=30),
    Column("Organisation", lambda p: p.organisation, width_chars=26),
    Column("Phone", lambda p: p.phone, width_chars=14),
    Column("Email", lambda p: p.email, width_chars=24),
]


def _in_timescale(r: ReviewSummary) -> str:
    verdict = r.in_timescale
    if verdict is None:
        return "Not held yet"
    return "Yes" if verdict else "No, held late"


REVIEW_COLUMNS: list[Column[ReviewSummary]] = [
    Column(
        "Review",
        lambda r: (
            f"{REVIEW_KINDS.get(r.kind, r.kind)} {r.sequence}" + (" (extra)" if r.is_extra else "")
        ),
        sort_key=lambda r: f"{r.kind}{r.sequence:04d}",
        width_chars=24,
    ),
    Column(
        "Date due",
        lambda r: uk_date(r.due_date),
        sort_key=lambda r: ord_(r.due_date),
        width_chars=12,
    ),
    Column(
        "Date held",
        lambda r: uk_date(r.timeliness_date, "Not held"),
        sort_key=lambda r: ord_(r.timeliness_date),
        width_chars=12,
    ),
    Column(
        "Status",
        lambda r: REVIEW_STATUSES.get(r.status, r.status.replace("_", " ")),
        width_chars=16,
    ),
    Column(
        "Participation",
        lambda r: r.pn_code,
        tooltip=lambda r: codes.PARTICIPATION_CODES.get(r.pn_code, ""),
        width_chars=10,
    ),
    Column(
        "In timescale",
        _in_timescale,
        tone=lambda r: "alert" if r.in_timescale is False else None,
        width_chars=14,
    ),
]
