"""Entering and correcting a child's record by hand: the child, periods of care and their
episodes in SSDA903 terms, social worker visits, adoption decisions and missing episodes.

Every change goes through `_save`: the whole record is checked against the DfE rules that
can be checked at the field (domain.episode_rules) before anything is written, a refusal
says why in plain words and changes nothing, and each change is audited with who changed
what. The window and the command line both call these functions.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields, replace
from datetime import date
from typing import Any

from iro_desktop.domain import codes
from iro_desktop.domain.caseload import (
    Child,
    Episode,
    MissingEpisode,
    PeriodOfCare,
    PlacedForAdoption,
    SocialWorkerVisit,
)
from iro_desktop.domain.episode_rules import RuleBreach, check_child
from iro_desktop.services.access import CaseloadSession
from iro_desktop.store import repositories as repo


class RuleRefused(ValueError):
    """A change the DfE rules (or the record's own sense) refuse; nothing was written."""

    def __init__(self, breaches: Sequence[RuleBreach]) -> None:
        self.breaches = tuple(breaches)
        super().__init__(str(self.breaches[0]) if self.breaches else "Refused.")


# --- checking without saving (the forms call this as the IRO types) -------------------------


def problems(child: Child) -> list[RuleBreach]:
    """Every reason the record would be refused, each with the field it belongs to."""
    out: list[RuleBreach] = []
    try:
        child.validated()
    except ValueError as exc:
        out.append(RuleBreach("record", str(exc), "check"))
    return out + check_child(child)


def _changes(before: Child | None, after: Child) -> str:
    """What changed, in a line for the audit trail (names of fields, not their values:
    the audit log is read by people who need to know who did what, not the child's data)."""
    if before is None:
        return f"added {after.la_child_id}"
    changed = [
        f.name
        for f in fields(Child)
        if f.name not in ("reviews",) and getattr(before, f.name) != getattr(after, f.name)
    ]
    return "changed " + (", ".join(changed) if changed else "nothing")


def _save(session: CaseloadSession, before: Child | None, after: Child, what: str = "") -> Child:
    found = problems(after)
    if found:
        raise RuleRefused(found)
    with session.unit_of_work() as s:
        if before is None and repo.child_id_for_la_id(s, after.la_child_id) is not None:
            raise RuleRefused(
                [
                    RuleBreach(
                        "la_child_id",
                        f"A child with the council's id {after.la_child_id} is already on this "
                        "caseload.",
                        "check",
                    )
                ]
            )
        if before is not None and after.la_child_id != before.la_child_id:
            other = repo.child_id_for_la_id(s, after.la_child_id)
            if other is not None and other != after.id:
                raise RuleRefused(
                    [
                        RuleBreach(
                            "la_child_id",
                            f"Another child already has the council's id {after.la_child_id}.",
                            "check",
                        )
                    ]
                )
        created = repo.save_child(s, after, session.now())
        detail = what or _changes(before, after)
        session.audit(s, "create" if created else "update", "child", after.id, detail)
    return after


def _load(session: CaseloadSession, child_id: str) -> Child:
    with session.unit_of_work() as s:
        return repo.get_child(s, child_id)


def find(session: CaseloadSession, ref: str) -> Child:
    """A child by our id or by the council's child id (what the command line is given)."""
    with session.unit_of_work() as s:
        if repo.child_exists(s, ref):
            return repo.get_child(s, ref)
        found = repo.child_id_for_la_id(s, ref)
        if found is None:
            raise LookupError(f"No child with the id {ref} on this caseload.")
        return repo.get_child(s, found)


# --- the child -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChildDetails:
    """What the 'Add a child' form asks for. Names are split as the IRO types them."""

    legal_first_name: str
    legal_last_name: str
    date_of_birth: date
    sex: str
    la_child_id: str
    preferred_name: str = ""
    ethnicity: str = ""
    upn: str = ""
    first_language: str = ""
    interpreter_needed: bool = False
    allocated_iro: str = ""
    uasc: bool = False
    uasc_ceased: date | None = None
    disability: str = ""
    communication_needs: str = ""
    care_leaver: bool = False
    mother: str = ""
    mother_child_dob: date | None = None


def _clean(details: ChildDetails) -> dict[str, Any]:
    values = {f.name: getattr(details, f.name) for f in fields(ChildDetails)}
    for name, value in values.items():
        if isinstance(value, str):
            values[name] = value.strip()
    values["sex"] = values["sex"].upper()
    values["ethnicity"] = values["ethnicity"].upper()
    values["upn"] = values["upn"].upper()
    return values


def add_child(
    session: CaseloadSession, details: ChildDetails, *, siblings: Iterable[str] = ()
) -> Child:
    """A new child on the caseload (allocated today if an IRO is named)."""
    values = _clean(details)
    child = Child(
        id=str(uuid.uuid4()),
        allocated_on=session.clock.today() if values["allocated_iro"] else None,
        **values,
    )
    saved = _save(session, None, child)
    if siblings:
        link_siblings(session, saved.id, siblings)
        saved = _load(session, saved.id)
    return saved


def edit_child(session: CaseloadSession, child_id: str, **changes: Any) -> Child:
    """Change any of the child's own details (not periods, visits: those have their own)."""
    before = _load(session, child_id)
    allowed = {f.name for f in fields(ChildDetails)}
    unknown = set(changes) - allowed
    if unknown:
        raise ValueError(f"These cannot be changed here: {', '.join(sorted(unknown))}.")
    cleaned: dict[str, Any] = {
        k: v.strip() if isinstance(v, str) else v for k, v in changes.items()
    }
    for key in ("sex", "ethnicity", "upn"):
        if key in cleaned:
            cleaned[key] = cleaned[key].upper()
    if "allocated_iro" in cleaned and cleaned["allocated_iro"] != before.allocated_iro:
        cleaned["allocated_on"] = session.clock.today() if cleaned["allocated_iro"] else None
    return _save(session, before, replace(before, **cleaned))


def restore_child(session: CaseloadSession, previous: Child) -> Child:
    """Put a child's record back as it was (the form's undo of a saved change)."""
    before = _load(session, previous.id)
    kept = replace(previous, reviews=before.reviews)
    return _save(session, before, kept, "undid the last change")


def remove_child(session: CaseloadSession, child_id: str, reason: str) -> str:
    """Remove a child added by mistake, with everything recorded under them.

    Audited with the reason. Refused while the child has escalations: those have been (or
    will be) shared with the service, and are never deleted.
    """
    if not reason.strip():
        raise ValueError("Say why the child is being removed (e.g. 'added by mistake').")
    with session.unit_of_work() as s:
        child = repo.get_child(s, child_id)
        if repo.child_has_escalations(s, child_id):
            raise ValueError(
                f"{child.name} has escalations, which are kept for the service's record; "
                "a child with escalations cannot be removed."
            )
        repo.delete_child(s, child_id)
        session.audit(s, "delete", "child", child_id, f"{child.la_child_id}: {reason.strip()}")
    return child.name


def link_siblings(session: CaseloadSession, child_id: str, others: Iterable[str]) -> str:
    """Put the child and the named children in one sibling group (an existing one if any
    of them has one), so siblings show together and go to the same IRO."""
    ids = [child_id, *[o for o in others if o != child_id]]
    with session.unit_of_work() as s:
        kids = [repo.get_child(s, i) for i in ids]
        group = next((k.sibling_group for k in kids if k.sibling_group), "") or (
            "sib-" + uuid.uuid4().hex[:8]
        )
        for kid in kids:
            if kid.sibling_group != group:
                repo.save_child(s, replace(kid, sibling_group=group), session.now())
                session.audit(s, "update", "child", kid.id, f"sibling group {group}")
    return group


def unlink_sibling(session: CaseloadSession, child_id: str) -> None:
    before = _load(session, child_id)
    _save(session, before, replace(before, sibling_group=""), "left the sibling group")


# --- periods of care and episodes --------------------------------------------------------------


@dataclass(frozen=True)
class Placement:
    """Where the child lives in an episode, in SSDA903 terms."""

    placement_type: str
    place_provider: str = ""
    postcode: str = ""  # PL_POST; blank with out_of_area for an unknown address
    in_area: bool = True
    provider: str = ""  # the carer's or home's name
    provider_kind: str = ""
    urn: str = ""
    home_postcode: str = ""
    distance_miles: float | None = None
    # A relative or friend approved temporarily as foster carer (reg 24): weekly visits.
    temporary_approval: bool = False


def _placement_fields(placement: Placement) -> dict[str, Any]:
    return {
        "placement_type": placement.placement_type.strip().upper(),
        "place_provider": placement.place_provider.strip().upper(),
        "postcode": placement.postcode.strip().upper(),
        "in_area": placement.in_area,
        "provider": placement.provider.strip(),
        "provider_kind": placement.provider_kind,
        "urn": placement.urn.strip().upper(),
        "home_postcode": placement.home_postcode.strip().upper(),
        "distance_miles": placement.distance_miles,
        "temporary_approval": placement.temporary_approval,
    }


def _open_period(child: Child) -> tuple[int, PeriodOfCare] | None:
    for i, period in enumerate(child.periods):
        if period.end is None:
            return i, period
    return None


def _with_period(child: Child, index: int | None, period: PeriodOfCare) -> Child:
    periods = list(child.periods)
    if index is None:
        periods.append(period)
    else:
        periods[index] = period
    periods.sort(key=lambda p: p.start)
    return replace(child, periods=tuple(periods))


def start_period(
    session: CaseloadSession,
    child_id: str,
    *,
    start: date,
    legal_status: str,
    category_of_need: str,
    placement: Placement,
) -> Child:
    """The child becomes looked after (RNE 'S'): a new period of care with its first episode."""
    before = _load(session, child_id)
    if _open_period(before) is not None:
        raise RuleRefused(
            [
                RuleBreach(
                    "start",
                    "The child is already looked after: end the current period "
                    "of care first, or record a move or a change of legal status.",
                    "check",
                )
            ]
        )
    episode = Episode(
        start=start,
        legal_status=legal_status.strip().upper(),
        category_of_need=category_of_need.strip().upper(),
        reason_new="S",
        **_placement_fields(placement),
    )
    after = _with_period(before, None, PeriodOfCare(start=start, episodes=(episode,)))
    return _save(session, before, after, f"started a period of care on {start.isoformat()}")


def _next_episode(
    session: CaseloadSession,
    child_id: str,
    on: date,
    what: str,
    build: Any,
) -> Child:
    before = _load(session, child_id)
    found = _open_period(before)
    if found is None:
        raise RuleRefused(
            [
                RuleBreach(
                    "on",
                    "The child is not looked after now: start a period of care first.",
                    "check",
                )
            ]
        )
    index, period = found
    current = period.current_episode
    assert current is not None
    if on <= current.start:
        raise RuleRefused(
            [
                RuleBreach(
                    "on",
                    f"The change must be after the current episode started on "
                    f"{current.start.day} {current.start:%B %Y}.",
                    "check",
                )
            ]
        )
    ended, new = build(current)
    episodes = (*period.episodes[:-1], ended, new)
    after = _with_period(before, index, replace(period, episodes=episodes))
    return _save(session, before, after, what)


def record_move(
    session: CaseloadSession,
    child_id: str,
    *,
    on: date,
    placement: Placement,
    reason_place_change: str,
    legal_status: str | None = None,
    same_carer: bool = False,
) -> Child:
    """A placement move on `on`: the current episode ends that day (X1, with the reason for
    the move where the 903 asks for it) and a new one begins (P, or T when the legal status
    changes too; U or B when the carer stays the same)."""
    reason = reason_place_change.strip().upper()

    def build(current: Episode) -> tuple[Episode, Episode]:
        status = (legal_status or current.legal_status).strip().upper()
        changes_status = status != current.legal_status
        rne = ("B" if changes_status else "U") if same_carer else ("T" if changes_status else "P")
        # The return asks why a placement ended, except a temporary one (DfE rule 226).
        temporary = current.placement_type in codes.TEMPORARY_PLACEMENTS
        if not reason and not temporary:
            raise RuleRefused(
                [
                    RuleBreach(
                        "reason_place_change",
                        "Say why the placement changed: the return asks for the reason for a move.",
                        "check",
                    )
                ]
            )
        ended = replace(
            current, end=on, reason_ended="X1", reason_place_change="" if temporary else reason
        )
        new = replace(
            current,
            id=None,
            start=on,
            end=None,
            reason_new=rne,
            legal_status=status,
            reason_ended="",
            reason_place_change="",
            long_term_confirmed=None,
            **_placement_fields(placement),
        )
        return ended, new

    return _next_episode(session, child_id, on, f"placement move on {on.isoformat()}", build)


def change_legal_status(
    session: CaseloadSession, child_id: str, *, on: date, legal_status: str
) -> Child:
    """A new legal status from `on`, same placement (RNE 'L')."""

    def build(current: Episode) -> tuple[Episode, Episode]:
        status = legal_status.strip().upper()
        if status == current.legal_status:
            raise RuleRefused(
                [RuleBreach("legal_status", f"The legal status is already {status}.", "check")]
            )
        ended = replace(current, end=on, reason_ended="X1", reason_place_change="")
        new = replace(
            current,
            id=None,
            start=on,
            end=None,
            reason_new="L",
            legal_status=status,
            reason_ended="",
            reason_place_change="",
        )
        return ended, new

    return _next_episode(session, child_id, on, f"legal status change on {on.isoformat()}", build)


def end_period(session: CaseloadSession, child_id: str, *, on: date, reason_ended: str) -> Child:
    """The child stops being looked after on `on`, for the 903 reason `reason_ended` (REC)."""
    reason = reason_ended.strip().upper()
    if not reason or reason == "X1":
        raise RuleRefused(
            [
                RuleBreach(
                    "reason_ended",
                    "Give the reason the child stopped being looked after "
                    "(an E code): X1 is for an episode that carries on.",
                    "check",
                )
            ]
        )
    before = _load(session, child_id)
    found = _open_period(before)
    if found is None:
        raise RuleRefused([RuleBreach("on", "The child is not looked after now.", "check")])
    index, period = found
    current = period.current_episode
    assert current is not None
    ended = replace(current, end=on, reason_ended=reason, reason_place_change="")
    words = codes.REASONS_EPISODE_CEASED.get(reason, reason)
    after = _with_period(
        before,
        index,
        replace(period, end=on, reason_ended=words, episodes=(*period.episodes[:-1], ended)),
    )
    return _save(session, before, after, f"period of care ended on {on.isoformat()} ({reason})")


FOSTER_PLACEMENTS = frozenset({"U1", "U2", "U3", "U4", "U5", "U6"})


def confirm_long_term(
    session: CaseloadSession,
    child_id: str,
    *,
    on: date,
    child_agrees_six_monthly_on: date | None = None,
) -> Child:
    """The current foster placement is confirmed as long-term on `on`: after its first year
    the social worker visits at least every 3 months, or every 6 months from the day the
    child agreed to that (reg 28)."""
    before = _load(session, child_id)
    found = _open_period(before)
    if found is None:
        raise RuleRefused([RuleBreach("on", "The child is not looked after now.", "check")])
    index, period = found
    current = period.current_episode
    assert current is not None
    problems = []
    if current.placement_type not in FOSTER_PLACEMENTS:
        problems.append(
            RuleBreach(
                "on",
                "Only a foster placement can be confirmed as long-term "
                f"(this placement is {current.placement_type}).",
                "check",
            )
        )
    today = session.clock.today()
    for when, what in ((on, "on"), (child_agrees_six_monthly_on, "child_agrees_six_monthly_on")):
        if when is not None and (when > today or when < period.start):
            problems.append(
                RuleBreach(
                    what,
                    "The date must be in this period of care and not after today.",
                    "check",
                )
            )
    if problems:
        raise RuleRefused(problems)
    updated = replace(
        current, long_term_confirmed=on, visits_six_monthly_agreed=child_agrees_six_monthly_on
    )
    after = _with_period(before, index, replace(period, episodes=(*period.episodes[:-1], updated)))
    agreed = (
        f"; the child agreed to 6-monthly visits on {child_agrees_six_monthly_on.isoformat()}"
        if child_agrees_six_monthly_on
        else ""
    )
    return _save(
        session, before, after, f"placement confirmed long-term on {on.isoformat()}{agreed}"
    )


def correct_episode(
    session: CaseloadSession, child_id: str, episode_id: int, **changes: Any
) -> Child:
    """Correct a field of a recorded episode (a typing mistake), checked like any change."""
    before = _load(session, child_id)
    periods = []
    found = False
    for period in before.periods:
        episodes = []
        for episode in period.episodes:
            if episode.id == episode_id:
                found = True
                episode = replace(episode, **changes)
            episodes.append(episode)
        first, last = episodes[0], episodes[-1]
        closed = last.end is not None and last.reason_ended not in ("", "X1")
        periods.append(
            replace(
                period,
                start=first.start,
                end=last.end if closed else None,
                episodes=tuple(episodes),
            )
        )
    if not found:
        raise LookupError(f"No episode {episode_id} for this child.")
    return _save(
        session,
        before,
        replace(before, periods=tuple(periods)),
        f"corrected episode {episode_id}: {', '.join(sorted(changes))}",
    )


# --- visits, adoption decisions, missing episodes ---------------------------------------------


def add_visit(
    session: CaseloadSession,
    child_id: str,
    *,
    visited_on: date,
    seen_alone: bool | None,
    by: str = "",
    note: str = "",
) -> Child:
    """A social worker's statutory visit: the reg 28 visit date counts from the latest."""
    before = _load(session, child_id)
    if visited_on > session.clock.today():
        raise RuleRefused(
            [RuleBreach("visited_on", "A visit cannot be recorded before it happens.", "check")]
        )
    if any(v.visited_on == visited_on and v.by == by.strip() for v in before.visits):
        raise RuleRefused([RuleBreach("visited_on", "This visit is already recorded.", "check")])
    visit = SocialWorkerVisit(visited_on, seen_alone, by.strip(), note.strip())
    visits = tuple(sorted((*before.visits, visit), key=lambda v: v.visited_on))
    return _save(
        session, before, replace(before, visits=visits), f"visit on {visited_on.isoformat()}"
    )


def remove_visit(session: CaseloadSession, child_id: str, visit_id: int) -> Child:
    before = _load(session, child_id)
    kept = tuple(v for v in before.visits if v.id != visit_id)
    if len(kept) == len(before.visits):
        raise LookupError(f"No visit {visit_id} for this child.")
    return _save(session, before, replace(before, visits=kept), f"removed visit {visit_id}")


def record_adoption_decision(
    session: CaseloadSession,
    child_id: str,
    *,
    decided_on: date,
    ceased_on: date | None = None,
    reason_ceased: str = "",
) -> Child:
    """The decision that the child should be placed for adoption, or its reversal (a
    decision on the same date is updated, not doubled)."""
    before = _load(session, child_id)
    decision = PlacedForAdoption(decided_on, ceased_on, reason_ceased.strip().upper())
    kept = [a for a in before.adoption_decisions if a.decided_on != decided_on]
    decisions = tuple(sorted((*kept, decision), key=lambda a: a.decided_on))
    return _save(
        session,
        before,
        replace(before, adoption_decisions=decisions),
        f"adoption decision of {decided_on.isoformat()}",
    )


def add_missing(
    session: CaseloadSession, child_id: str, *, kind: str, start: date, end: date | None
) -> Child:
    before = _load(session, child_id)
    gone = MissingEpisode(kind.strip().upper(), start, end)
    kept = [m for m in before.missing if m.start != start]
    missing = tuple(sorted((*kept, gone), key=lambda m: m.start))
    return _save(
        session,
        before,
        replace(before, missing=missing),
        f"missing episode from {start.isoformat()}",
    )
