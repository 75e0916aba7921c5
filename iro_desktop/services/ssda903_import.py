"""Bring the council's SSDA903 files into the caseload: plan first, then all or nothing.

`plan_import` reads the folder, builds each child's record as it will be after the import
(the council's facts merged into what is already here), checks every child against the DfE
rules the forms use, and writes nothing. `apply_import` writes a clean plan in one
transaction, so an error, a crash or a flat battery leaves the caseload exactly as it was.

Matching is on the council's child id (CHILD): a child typed by hand is matched, not
doubled; an episode is matched on its start date and a review on its date, so importing the
same files twice changes nothing. What the IRO recorded in the program (meetings, letters,
escalations, visits, people) is never touched: an import adds reviews only for dates the
caseload does not already hold.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from iro_desktop.domain import codes, timescales
from iro_desktop.domain.caseload import (
    Child,
    Episode,
    MissingEpisode,
    PeriodOfCare,
    PlacedForAdoption,
)
from iro_desktop.domain.episode_rules import check_review_code
from iro_desktop.domain.review_record import (
    Meeting,
    Review,
    ReviewKind,
    ReviewStatus,
)
from iro_desktop.interchange import ssda903_read as read
from iro_desktop.services import children as children_service
from iro_desktop.services.access import CaseloadSession
from iro_desktop.store import repositories as repo
from iro_desktop.store import review_repository as reviews_repo

SOURCE = "ssda903"
Progress = Callable[[int, int], None]
_SEX_FROM_903 = {"M": "M", "F": "F", "U": "X"}


@dataclass(frozen=True)
class NewReview:
    review: Review
    held_on: date


@dataclass
class ImportPlan:
    """What an import would do; nothing has been written."""

    folder: Path
    names: Path | None
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    children: list[Child] = field(default_factory=list)  # records to write (new or changed)
    added: list[str] = field(default_factory=list)  # council ids
    changed: list[tuple[str, list[str]]] = field(default_factory=list)
    unchanged: int = 0
    episodes_added: int = 0
    episodes_changed: int = 0
    reviews: list[NewReview] = field(default_factory=list)
    unnamed: int = 0
    caseload_mark: str = ""  # the caseload as it stood when planned

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def changes_anything(self) -> bool:
        return bool(self.children or self.reviews)

    def summary_lines(self) -> list[str]:
        if not self.ok:
            n = len(self.problems)
            return [f"{n} problem{'s' if n != 1 else ''} found: nothing will be imported."]
        lines = [
            f"{len(self.added)} {_children(len(self.added))} to add",
            f"{len(self.changed)} {_children(len(self.changed))} to update",
            f"{self.unchanged} {_children(self.unchanged)} already up to date",
            f"{self.episodes_added} episodes to add, {self.episodes_changed} to update",
            f"{len(self.reviews)} reviews to add to the history",
        ]
        if self.unnamed:
            lines.append(
                f"{self.unnamed} new {_children(self.unnamed)} without a name in the names "
                "file: they are listed by the council's id until you add the name"
            )
        if not self.changes_anything:
            lines.append("Nothing would change: the caseload already holds these files.")
        return lines


def _children(n: int) -> str:
    return "child" if n == 1 else "children"


@dataclass(frozen=True)
class ImportResult:
    children_added: int
    children_updated: int
    episodes_added: int
    reviews_added: int

    @property
    def summary(self) -> str:
        return (
            f"Imported: {self.children_added} {_children(self.children_added)} added, "
            f"{self.children_updated} updated, {self.episodes_added} episodes added, "
            f"{self.reviews_added} reviews added to the history."
        )


# --- building each child's record --------------------------------------------------------------


def _split_name(name: str) -> tuple[str, str]:
    parts = name.split()
    if len(parts) == 1:
        return parts[0], ""
    return " ".join(parts[:-1]), parts[-1]


def _episode(row: read.EpisodeRow, existing: Episode | None) -> Episode:
    """The council's facts for the episode; what only the program records (the carer's
    name, distance, long-term confirmation) is kept from the episode already here."""
    base = existing or Episode(start=row.decom, legal_status=row.ls, placement_type=row.place)
    return replace(
        base,
        id=None,
        start=row.decom,
        end=row.dec,
        legal_status=row.ls,
        placement_type=row.place,
        reason_new=row.rne,
        category_of_need=row.cin,
        place_provider=row.place_provider,
        reason_ended=row.rec,
        reason_place_change=row.reason_place_change,
        home_postcode=row.home_post,
        postcode=row.pl_post or base.postcode,
        urn=row.urn,
    )


def _periods(episodes: list[Episode], old: tuple[PeriodOfCare, ...]) -> tuple[PeriodOfCare, ...]:
    """Episodes grouped into periods of care: a period ends with an episode whose reason
    is not X1 (care continues), and the next begins with 'started to be looked after'."""
    periods: list[list[Episode]] = []
    for episode in sorted(episodes, key=lambda e: e.start):
        previous = periods[-1][-1] if periods else None
        care_ended = previous is not None and previous.reason_ended not in ("", "X1")
        if previous is None or care_ended or episode.reason_new == "S":
            periods.append([episode])
        else:
            periods[-1].append(episode)
    reasons = {p.start: p.reason_ended for p in old}
    out = []
    for run in periods:
        last = run[-1]
        ended = last.end is not None and last.reason_ended not in ("", "X1")
        words = codes.REASONS_EPISODE_CEASED.get(last.reason_ended, "") if ended else ""
        out.append(
            PeriodOfCare(
                start=run[0].start,
                end=last.end if ended else None,
                reason_ended=words or (reasons.get(run[0].start, "") if ended else ""),
                episodes=tuple(run),
            )
        )
    return tuple(out)


def _strip_ids(child: Child) -> Child:
    """The record without database ids or review lines, to see whether anything changed."""
    return replace(
        child,
        reviews=(),
        periods=tuple(
            replace(p, id=None, episodes=tuple(replace(e, id=None) for e in p.episodes))
            for p in child.periods
        ),
        visits=tuple(replace(v, id=None) for v in child.visits),
        adoption_decisions=tuple(replace(a, id=None) for a in child.adoption_decisions),
        missing=tuple(replace(m, id=None) for m in child.missing),
        people=tuple(replace(p, id=None) for p in child.people),
    )


def _what_changed(before: Child, after: Child) -> list[str]:
    a, b = _strip_ids(before), _strip_ids(after)
    names = {
        "periods": "care history",
        "adoption_decisions": "adoption decisions",
        "missing": "missing episodes",
        "legal_first_name": "name",
        "legal_last_name": "name",
        "date_of_birth": "date of birth",
        "uasc_ceased": "UASC status",
        "mother_child_dob": "mother",
    }
    out: list[str] = []
    for name in (
        "legal_first_name",
        "legal_last_name",
        "preferred_name",
        "date_of_birth",
        "sex",
        "ethnicity",
        "upn",
        "mother",
        "mother_child_dob",
        "uasc",
        "uasc_ceased",
        "periods",
        "adoption_decisions",
        "missing",
    ):
        if getattr(a, name) != getattr(b, name):
            word = names.get(name, name.replace("_", " "))
            if word not in out:
                out.append(word)
    return out


@dataclass
class _Rows:
    episodes: list[read.EpisodeRow] = field(default_factory=list)
    reviews: list[read.ReviewRow] = field(default_factory=list)
    uasc: list[read.UascRow] = field(default_factory=list)
    adoption: list[read.PlacedAdoptionRow] = field(default_factory=list)
    missing: list[read.MissingRow] = field(default_factory=list)
    name: read.NameRow | None = None


def _group(folder: read.FolderRead) -> dict[str, _Rows]:
    rows: dict[str, _Rows] = defaultdict(_Rows)
    for e in folder.episodes:
        rows[e.child].episodes.append(e)
    for r in folder.reviews:
        rows[r.child].reviews.append(r)
    for u in folder.uasc:
        rows[u.child].uasc.append(u)
    for a in folder.placed_adoption:
        rows[a.child].adoption.append(a)
    for m in folder.missing:
        rows[m.child].missing.append(m)
    for n in folder.names:
        rows[n.child].name = n
    return rows


def _merged_child(
    header: read.HeaderRow, rows: _Rows, existing: Child | None
) -> tuple[Child, int, int]:
    """The child's record after the import, with the numbers of episodes added and changed."""
    first, last = ("", "")
    preferred = ""
    if rows.name is not None:
        first, last = _split_name(rows.name.name)
        preferred = rows.name.preferred_name
    if existing is None:
        base = Child(
            id=str(uuid.uuid4()),
            la_child_id=header.child,
            legal_first_name=first or "Child",
            legal_last_name=last or header.child,
            preferred_name=preferred,
            date_of_birth=header.dob,
            sex=_SEX_FROM_903.get(header.sex, "X"),
        )
    else:
        base = existing
        if rows.name is not None:
            base = replace(
                base,
                legal_first_name=first or base.legal_first_name,
                legal_last_name=last or base.legal_last_name,
                preferred_name=base.preferred_name or preferred,
            )
    old_episodes = {e.start: e for p in base.periods for e in p.episodes}
    merged = dict(old_episodes)
    added = changed = 0
    for row in rows.episodes:
        before = old_episodes.get(row.decom)
        after = _episode(row, before)
        if before is None:
            added += 1
        elif replace(before, id=None) != after:
            changed += 1
        merged[row.decom] = after
    periods = _periods(list(merged.values()), base.periods)
    decisions = {a.decided_on: a for a in base.adoption_decisions}
    for a in rows.adoption:
        decisions[a.date_placed] = PlacedForAdoption(
            a.date_placed, a.date_placed_ceased, a.reason_placed_ceased
        )
    missing = {m.start: m for m in base.missing}
    for m in rows.missing:
        missing[m.mis_start] = MissingEpisode(m.missing, m.mis_start, m.mis_end)
    uasc = base.uasc or bool(rows.uasc)
    duc = next((u.duc for u in rows.uasc if u.duc is not None), base.uasc_ceased)
    child = replace(
        base,
        date_of_birth=header.dob,
        sex=_SEX_FROM_903.get(header.sex, base.sex),
        ethnicity=header.ethnic,
        upn=header.upn,
        mother=header.mother,
        mother_child_dob=header.mc_dob,
        uasc=uasc,
        uasc_ceased=duc,
        periods=periods,
        adoption_decisions=tuple(sorted(decisions.values(), key=lambda a: a.decided_on)),
        missing=tuple(sorted(missing.values(), key=lambda m: m.start)),
    )
    return child, added, changed


def _where(rows: _Rows, header: read.HeaderRow) -> str:
    if rows.episodes:
        lines = sorted(e.line for e in rows.episodes)
        span = f"line {lines[0]}" if len(lines) == 1 else f"lines {lines[0]}-{lines[-1]}"
        return f"{rows.episodes[0].file} {span}, child {header.child}"
    return f"{header.file} line {header.line}, child {header.child}"


def _new_reviews(
    child: Child, rows: _Rows, existing: Child | None, session: CaseloadSession
) -> tuple[list[NewReview], list[str]]:
    """Reviews from the file the caseload does not already hold, with their due dates
    worked out by reg 33 from the period of care and the reviews held before them."""
    held_here = {
        r.timeliness_date or (r.meeting_dates[0] if r.meeting_dates else None)
        for r in (existing.reviews if existing else ())
        if r.kind == ReviewKind.LOOKED_AFTER.value
    }
    problems: list[str] = []
    new: list[NewReview] = []
    profile = session.profile
    for row in sorted(rows.reviews, key=lambda r: r.review):
        breaches = check_review_code(child.date_of_birth, row.review, row.review_code)
        if breaches:
            problems.append(f"{row.file} line {row.line}, REVIEW_CODE: {breaches[0]}")
            continue
        period = next(
            (
                p
                for p in child.periods
                if p.start <= row.review and (p.end is None or row.review <= p.end)
            ),
            None,
        )
        if period is None:
            problems.append(
                f"{row.file} line {row.line}, REVIEW: the review on {row.review:%d/%m/%Y} is "
                "outside every period of care in the Episodes file."
            )
            continue
        if row.review in held_here:
            continue
        held_here.add(row.review)
        before = sorted(r.review for r in rows.reviews if period.start <= r.review < row.review)
        due = timescales.due_date_for_review(
            period.start,
            before,
            len(before) + 1,
            first_review_working_days=profile.first_review_working_days,
            calendar=profile.calendar,
        )
        review = Review(
            id=str(uuid.uuid4()),
            child_id=child.id,
            due_on=due,
            planned_on=row.review,
            kind=ReviewKind.LOOKED_AFTER,
            sequence=len(before) + 1,
            status=ReviewStatus.ISSUED,
            meetings=(Meeting(on=row.review, held=True, final=True),),
            participation_code=row.review_code,
            source=SOURCE,
        )
        new.append(NewReview(review, row.review))
    return new, problems


def plan_import(
    session: CaseloadSession,
    folder: Path,
    names: Path | None = None,
    progress: Progress | None = None,
) -> ImportPlan:
    """What importing `folder` (and the names file) would do. Writes nothing."""
    plan = ImportPlan(folder=folder, names=names)
    files = read.read_folder(folder, names, progress=progress)
    plan.problems += [str(p) for p in files.problems]
    plan.warnings += [str(w) for w in files.warnings]
    if not files.ok:
        return plan
    with session.unit_of_work() as s:
        plan.caseload_mark = repo.caseload_mark(s)
        existing = {c.la_child_id: c for c in repo.list_children(s)}
        me = (repo.get_user(s, session.username) or {}).get("display_name", "")
    grouped = _group(files)
    for header in files.header:
        rows = grouped.get(header.child, _Rows())
        before = existing.get(header.child)
        try:
            child, added, changed = _merged_child(header, rows, before)
        except ValueError as exc:
            plan.problems.append(f"{_where(rows, header)}: {exc}")
            continue
        breaches = children_service.problems(child)
        if breaches:
            where = _where(rows, header)
            plan.problems += [f"{where}: {b}" for b in breaches]
            continue
        reviews, review_problems = _new_reviews(child, rows, before, session)
        plan.problems += review_problems
        plan.reviews += reviews
        plan.episodes_added += added
        plan.episodes_changed += changed
        if before is None:
            # A new child from the IRO's own extract is on their caseload.
            if me and not child.allocated_iro:
                child = replace(child, allocated_iro=me, allocated_on=session.clock.today())
            plan.added.append(header.child)
            plan.children.append(child)
            if rows.name is None:
                plan.unnamed += 1
        else:
            what = _what_changed(before, child)
            if what:
                plan.changed.append((header.child, what))
                plan.children.append(child)
            else:
                plan.unchanged += 1
    if plan.unnamed:
        plan.warnings.append(
            f"{plan.unnamed} new {_children(plan.unnamed)} have no name in a names file "
            "(CHILD,NAME): they are shown as 'Child' and the council's id until named."
        )
    return plan


def apply_import(
    session: CaseloadSession, plan: ImportPlan, progress: Progress | None = None
) -> ImportResult:
    """Write a clean plan in one transaction: every child and review, or none of them."""
    if not plan.ok:
        raise ValueError(
            "The files have problems, so nothing was imported. Fix them and try again."
        )
    basis = session.profile.series_basis
    total = len(plan.children) + len(plan.reviews)
    done = 0
    with session.unit_of_work() as s:
        if repo.caseload_mark(s) != plan.caseload_mark:
            raise ValueError(
                "The caseload changed after the preview; nothing was imported. Preview the "
                "files again."
            )
        now = session.now()
        for child in plan.children:
            repo.save_child(s, child, now, flush=False)
            done += 1
            if progress:  # also the window's chance to cancel (it raises): all rolls back
                progress(done, total)
        s.flush()
        period_ids = repo.period_ids_by_start(s, [c.id for c in plan.children])
        for start in range(0, len(plan.reviews), 2000):
            batch = [
                (item.review, _period_for(period_ids.get(item.review.child_id, []), item.held_on))
                for item in plan.reviews[start : start + 2000]
            ]
            reviews_repo.insert_new_reviews(s, batch, basis=basis, now=now)
            done += len(batch)
            if progress:
                progress(done, total)
        detail = (
            f"{len(plan.added)} added, {len(plan.changed)} updated, "
            f"{len(plan.reviews)} reviews, from {plan.folder.name}"
        )
        session.audit(s, "import", "caseload", "ssda903", detail)
    if progress:
        progress(total, total)
    return ImportResult(len(plan.added), len(plan.changed), plan.episodes_added, len(plan.reviews))


def _period_for(periods: list[tuple[date, int]], on: date) -> int | None:
    chosen = None
    for start, period_id in periods:
        if start <= on:
            chosen = period_id
    return chosen
