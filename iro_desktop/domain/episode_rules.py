"""The DfE's SSDA903 rules that can be checked as the IRO types, in plain words.

One home for each rule: the forms, the command line, the importer and the exporter all ask
these functions, so a combination the DfE would reject never reaches the caseload. Each
breach names the field it belongs to, so a form can show it beside what was typed, and the
DfE rule number (or the law) so a manager can look it up.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from iro_desktop.domain import codes
from iro_desktop.domain.caseload import Child, Episode, PeriodOfCare, age_on

# The youngest age at the start of the episode for these placements (DfE rules 370-374).
MIN_AGE_FOR_PLACEMENT: dict[str, tuple[int, str]] = {
    "K3": (16, "371"),
    "H5": (16, "371"),
    "P2": (16, "370"),
    "P3": (14, "374"),
    "R5": (10, "372"),
    "S1": (4, "373"),
}
# Placement providers that cannot run these placements (DfE rules 527-531, 550).
PROVIDER_CANNOT_PROVIDE: dict[str, tuple[frozenset[str], str]] = {
    "PR1": (frozenset({"P1", "R2", "R5"}), "527"),
    "PR2": (frozenset({"P1", "R2", "R5"}), "528"),
    "PR3": (
        frozenset({"P1", "A3", "A4", "A5", "A6", "K1", "K2", "U1", "U2", "U3", "U4", "U5", "U6"}),
        "529",
    ),
    "PR4": (frozenset({"P1"}), "530"),
    "PR5": (frozenset({"P1"}), "531"),
}
CARE_ORDERS = frozenset({"C1", "C2"})
CONTINUES = "X1"  # REC: the episode ended and a new one began the same day


@dataclass(frozen=True)
class RuleBreach:
    """One refusal: the field it belongs to, why in plain words, and the rule's number."""

    field: str
    message: str
    rule: str

    def __str__(self) -> str:
        if self.rule == "check":  # the record's own sense, not a DfE rule
            return self.message
        if self.rule[0].isdigit():
            return f"{self.message} (DfE rule {self.rule})"
        return f"{self.message} ({self.rule})"


def _d(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def check_episode(dob: date, episode: Episode) -> list[RuleBreach]:
    """The rules that one episode breaks on its own (with the child's date of birth)."""
    out: list[RuleBreach] = []
    ls, place = episode.legal_status.upper(), episode.placement_type.upper()
    age = age_on(dob, episode.start)
    if episode.start < dob:
        out.append(
            RuleBreach(
                "start",
                f"The episode starts on {_d(episode.start)}, before the "
                f"child was born on {_d(dob)}.",
                "302",
            )
        )
    if episode.end is not None and episode.end < episode.start:
        out.append(
            RuleBreach(
                "end",
                f"The episode ends on {_d(episode.end)}, before it starts on {_d(episode.start)}.",
                "356",
            )
        )
    if ls == "V2" and place == "P1":
        out.append(
            RuleBreach(
                "placement_type",
                "A child placed with their parents cannot be "
                "accommodated under section 20 (V2): record the legal status that "
                "applies, or a different placement.",
                "378",
            )
        )
    if ls in CARE_ORDERS and episode.reason_new in ("S", "L", "T", "B") and age >= 17:
        out.append(
            RuleBreach(
                "legal_status",
                f"A care order cannot start for a young person aged "
                f"{age}: the court cannot make one at 17 or over.",
                "Children Act 1989 s31(3)",
            )
        )
    if episode.reason_new == "S" and age >= 18:
        out.append(
            RuleBreach(
                "start", f"A young person aged {age} cannot start to be looked after.", "352"
            )
        )
    if place in MIN_AGE_FOR_PLACEMENT:
        least, rule = MIN_AGE_FOR_PLACEMENT[place]
        if age < least:
            words = codes.PLACEMENT_TYPES.get(place) or codes.LEGACY_PLACEMENT_TYPES[place]
            out.append(
                RuleBreach(
                    "placement_type",
                    f"{words} is not a placement for a child aged "
                    f"{age}: the child must be at least {least}.",
                    rule,
                )
            )
    provider = episode.place_provider.upper()
    if provider == "PR0" and place != "P1":
        out.append(
            RuleBreach(
                "place_provider",
                "Only a placement with parents (P1) is provided by the parents (PR0).",
                "550",
            )
        )
    if provider in PROVIDER_CANNOT_PROVIDE:
        refused, rule = PROVIDER_CANNOT_PROVIDE[provider]
        if place in refused:
            out.append(
                RuleBreach(
                    "place_provider",
                    f"{codes.PLACEMENT_PROVIDERS[provider]} cannot "
                    f"provide this placement ({place}).",
                    rule,
                )
            )
    if place in ("A3", "A5") and episode.reason_new and episode.reason_new not in "STU":
        out.append(
            RuleBreach(
                "reason_new",
                "A placement for adoption with the current foster carer "
                "starts when care starts, or with a change of both legal status and "
                "placement, or of placement with the same carer (S, T or U).",
                "217",
            )
        )
    if episode.end is not None:
        out += _ending_rules(dob, episode)
    if place in codes.TEMPORARY_PLACEMENTS and episode.reason_place_change:
        out.append(
            RuleBreach(
                "reason_place_change",
                "A temporary placement does not need a reason for the move.",
                "226",
            )
        )
    return out


def _ending_rules(dob: date, episode: Episode) -> list[RuleBreach]:
    assert episode.end is not None
    out: list[RuleBreach] = []
    age = age_on(dob, episode.end)
    rec = episode.reason_ended.upper()
    if rec == "E7" and age < 16:
        out.append(
            RuleBreach(
                "reason_ended",
                f"Adult social care cannot take over the care of a child aged {age}.",
                "389",
            )
        )
    if rec in ("E5", "E6") and age < 14:
        out.append(
            RuleBreach(
                "reason_ended", "A child aged under 14 cannot move to independent living.", "387"
            )
        )
    if rec in ("E11", "E12") and age >= 18:
        out.append(
            RuleBreach(
                "reason_ended",
                "A young person aged 18 or over cannot leave care by adoption.",
                "386",
            )
        )
    return out


def check_sequence(dob: date, periods: Sequence[PeriodOfCare]) -> list[RuleBreach]:
    """Rules across episodes: no overlaps, and care that goes on does so the same day."""
    out: list[RuleBreach] = []
    episodes = sorted(
        (e for p in periods for e in p.episodes), key=lambda e: (e.start, e.end or date.max)
    )
    for before, after in zip(episodes, episodes[1:], strict=False):
        if before.end is None or after.start < before.end:
            ended = f"ends on {_d(before.end)}" if before.end else "has not ended"
            out.append(
                RuleBreach(
                    "start",
                    f"The episode starting {_d(after.start)} overlaps the one "
                    f"from {_d(before.start)}, which {ended}.",
                    "501",
                )
            )
            continue
        if before.reason_ended.upper() == CONTINUES:
            if after.start != before.end:
                out.append(
                    RuleBreach(
                        "start",
                        f"The episode from {_d(before.start)} ended with care "
                        f"continuing (X1), so the next must start the same day, "
                        f"{_d(before.end)}.",
                        "433",
                    )
                )
            elif after.reason_new == "S":
                out.append(
                    RuleBreach(
                        "reason_new",
                        "A new episode that continues care the same day "
                        "cannot be 'started to be looked after' (S).",
                        "431",
                    )
                )
        elif after.reason_new and after.reason_new != "S":
            out.append(
                RuleBreach(
                    "reason_new",
                    f"Care ended on {_d(before.end)}, so the episode "
                    f"starting {_d(after.start)} begins a new period of care: its reason "
                    "must be 'started to be looked after' (S).",
                    "433",
                )
            )
    return out


def check_review_code(dob: date, review_on: date, pn_code: str) -> list[RuleBreach]:
    """PN0 exactly when the child was under 4 on the day of the review (DfE 440/441)."""
    under_4 = age_on(dob, review_on) < 4
    code = pn_code.strip().upper()
    if not code:
        return [RuleBreach("pn_code", "A held review needs a participation code.", "167")]
    if code not in codes.PARTICIPATION_CODES:
        return [RuleBreach("pn_code", f"'{pn_code}' is not a participation code (PN0-PN7).", "167")]
    if under_4 and code != "PN0":
        return [
            RuleBreach(
                "pn_code", "The child was under 4 at this review, so the code is PN0.", "441"
            )
        ]
    if not under_4 and code == "PN0":
        return [
            RuleBreach(
                "pn_code",
                "PN0 is only for a child under 4; this child was 4 or over at the review.",
                "440",
            )
        ]
    return []


def check_child(child: Child) -> list[RuleBreach]:
    """Every rule the child's record breaks, episode by episode and across them."""
    out: list[RuleBreach] = []
    for period in child.periods:
        for episode in period.episodes:
            out += check_episode(child.date_of_birth, episode)
    out += check_sequence(child.date_of_birth, child.periods)
    if child.uasc_ceased is not None and age_on(child.date_of_birth, child.uasc_ceased) > 18:
        out.append(
            RuleBreach("uasc_ceased", "UASC status ends by the 18th birthday at the latest.", "304")
        )
    if child.mother_child_dob is not None and child.sex == "M":
        out.append(
            RuleBreach(
                "mother_child_dob",
                "A mother's child's date of birth is recorded but the child's sex is male.",
                "174",
            )
        )
    return out
