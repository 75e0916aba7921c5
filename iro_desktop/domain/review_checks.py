"""Field-level problems with a review record, for the form to show beside each field.

Checking never refuses anything: a draft with errors still saves (nothing an IRO types is
lost). Errors are things that are wrong (a held meeting in the future, a PN code that
contradicts the child's age); warnings are things missing or doubtful; advice is good practice.
"""

from __future__ import annotations

import enum
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from iro_desktop.domain.calendar import (
    ENGLAND_AND_WALES,
    FIRST_YEAR,
    LAST_YEAR,
    WorkingCalendar,
)
from iro_desktop.domain.participation import (
    ATTENDED_CODES,
    age_on,
    pn_code_conflict,
    suggest_pn_code,
)
from iro_desktop.domain.recommendations import vague_findings
from iro_desktop.domain.review_record import (
    PATHWAY_PLAN_AGE,
    Attendance,
    ChairRole,
    ContactMethod,
    InviteeRole,
    RecommendationStatus,
    Review,
    ReviewKind,
    ReviewStatus,
    SeparateReason,
    reached,
    say_date,
    topic_checklist,
)
from iro_desktop.domain.review_series import (
    SeriesBasis,
    first_meeting_date,
    merged_attendance,
    review_date,
)

REPORT_WORKING_DAYS_BEFORE = 3  # local standard: report and care plan 3 working days ahead
CONSULT_WEEKS = 6  # the IRO sees or consults the child in the 6 weeks before the review


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"
    ADVICE = "advice"


_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.ADVICE: 2}


@dataclass(frozen=True, slots=True)
class Problem:
    field: str  # path into the record, e.g. "meetings[0].on"
    severity: Severity
    message: str


def _in_range(d: date) -> bool:
    return FIRST_YEAR <= d.year <= LAST_YEAR


class _Checker:
    def __init__(
        self,
        review: Review,
        child_dob: date,
        period_start: date,
        today: date,
        basis: SeriesBasis,
        calendar: WorkingCalendar,
        consult_weeks: int = CONSULT_WEEKS,
        report_days_before: int = REPORT_WORKING_DAYS_BEFORE,
    ) -> None:
        self.consult_weeks = consult_weeks
        self.report_days_before = report_days_before
        self.review = review
        self.dob = child_dob
        self.period_start = period_start
        self.today = today
        self.basis = basis
        self.calendar = calendar
        self.first = first_meeting_date(review)
        self.held = self.first is not None
        self.when = review_date(review, basis)
        self.problems: list[Problem] = []

    def add(self, path: str, severity: Severity, message: str) -> None:
        self.problems.append(Problem(path, severity, message))

    def run(self) -> list[Problem]:
        self.plan()
        self.preparation()
        self.meetings()
        if self.review.kind is ReviewKind.LOOKED_AFTER:
            self.participation()
        self.care_planning()
        self.topics()
        self.recommendations()
        return sorted(self.problems, key=lambda p: _ORDER[p.severity])

    # --- the plan ---------------------------------------------------------------------
    def plan(self) -> None:
        r = self.review
        if r.extra and not r.extra_reason.strip():
            self.add("extra_reason", Severity.ERROR, "Give the reason for the extra review.")
        if not self.held and r.status is not ReviewStatus.STOOD_DOWN and r.planned_on > r.due_on:
            self.add(
                "planned_on",
                Severity.WARNING,
                f"The review is planned for {say_date(r.planned_on)}, after it is due "
                f"({say_date(r.due_on)}): it will be out of timescale.",
            )

    # --- preparation ------------------------------------------------------------------
    def preparation(self) -> None:
        prep = self.review.preparation
        keys = Counter(p.key for p in prep.invitees)
        for i, person in enumerate(prep.invitees):
            path = f"preparation.invitees[{i}]"
            if keys[person.key] > 1:
                self.add(f"{path}.key", Severity.ERROR, f"Two people share the key '{person.key}'.")
            sent, got = person.consultation_sent_on, person.consultation_received_on
            if sent is not None and sent > self.today:
                self.add(
                    f"{path}.consultation_sent_on",
                    Severity.ERROR,
                    f"The consultation form is recorded as sent on {say_date(sent)}, "
                    "which is in the future.",
                )
            if got is not None and sent is not None and got < sent:
                self.add(
                    f"{path}.consultation_received_on",
                    Severity.ERROR,
                    f"The consultation form came back ({say_date(got)}) before it was sent "
                    f"({say_date(sent)}).",
                )
            if got is not None and sent is None:
                self.add(
                    f"{path}.consultation_sent_on",
                    Severity.WARNING,
                    "A consultation form is recorded as received but not as sent.",
                )
        for i, contact in enumerate(prep.child_contacts):
            path = f"preparation.child_contacts[{i}]"
            if contact.method is ContactMethod.NONE:
                if not contact.reason_if_none.strip():
                    self.add(
                        f"{path}.reason_if_none",
                        Severity.WARNING,
                        "Say why there was no contact with the child before the review.",
                    )
            elif contact.on is None:
                self.add(f"{path}.on", Severity.WARNING, "Give the date of the contact.")
            elif contact.on > self.today:
                self.add(
                    f"{path}.on",
                    Severity.ERROR,
                    f"The contact with the child is dated {say_date(contact.on)}, in the future.",
                )
        if not self.held:
            return
        self.child_consulted()
        self.reports_in(
            prep.social_worker_report_received_on,
            "preparation.social_worker_report_received_on",
            "social worker's report",
        )
        self.reports_in(
            prep.care_plan_received_on, "preparation.care_plan_received_on", "care plan"
        )

    def child_consulted(self) -> None:
        start = self.when - timedelta(weeks=self.consult_weeks)
        consulted = any(
            c.method is not ContactMethod.NONE and c.on is not None and start <= c.on <= self.when
            for c in self.review.preparation.child_contacts
        )
        if not consulted:
            self.add(
                "preparation.child_contacts",
                Severity.ADVICE,
                f"No contact with the child is recorded in the {self.consult_weeks} weeks before "
                "the review.",
            )

    def reports_in(self, received: date | None, path: str, what: str) -> None:
        assert self.first is not None
        if received is None:
            self.add(path, Severity.WARNING, f"No {what} is recorded as received for the review.")
            return
        if not (_in_range(received) and _in_range(self.first)):
            return
        ahead = self.calendar.working_days_between(received, self.first)
        if ahead < self.report_days_before:
            timing = (
                "after the review"
                if ahead < 0
                else f"{ahead} working day{'s' if ahead != 1 else ''} before the review"
            )
            self.add(
                path,
                Severity.ADVICE,
                f"The {what} arrived on {say_date(received)}, {timing}; the standard is "
                f"{self.report_days_before} working days before.",
            )

    # --- meetings ---------------------------------------------------------------------
    def meetings(self) -> None:
        r = self.review
        keys = {p.key for p in r.preparation.invitees}
        for i, meeting in enumerate(r.meetings):
            path = f"meetings[{i}]"
            if not _in_range(meeting.on):
                self.add(
                    f"{path}.on",
                    Severity.ERROR,
                    f"The meeting date {meeting.on.isoformat()} is outside {FIRST_YEAR}-"
                    f"{LAST_YEAR}.",
                )
            if meeting.held and meeting.on > self.today:
                self.add(
                    f"{path}.on",
                    Severity.ERROR,
                    f"The meeting is recorded as held but dated {say_date(meeting.on)}, "
                    "in the future.",
                )
            if meeting.on < self.period_start:
                self.add(
                    f"{path}.on",
                    Severity.ERROR,
                    f"The meeting on {say_date(meeting.on)} is before the child became looked "
                    f"after ({say_date(self.period_start)}).",
                )
            if i > 0 and meeting.on < r.meetings[i - 1].on:
                self.add(
                    f"{path}.on",
                    Severity.ERROR,
                    "The meetings of the series are out of date order.",
                )
            if i > 0 and meeting.separate_reason is None:
                self.add(
                    f"{path}.separate_reason",
                    Severity.ERROR,
                    "Say why this meeting was held separately from the others.",
                )
            if (
                meeting.separate_reason is SeparateReason.OTHER
                and not meeting.separate_reason_note.strip()
            ):
                self.add(
                    f"{path}.separate_reason_note",
                    Severity.WARNING,
                    "Describe the reason for the separate meeting.",
                )
            seen: set[str] = set()
            for j, entry in enumerate(meeting.attendance):
                if entry.key not in keys:
                    self.add(
                        f"{path}.attendance[{j}].key",
                        Severity.ERROR,
                        f"'{entry.key}' is not on the list of people for this review.",
                    )
                elif entry.key in seen:
                    self.add(
                        f"{path}.attendance[{j}].key",
                        Severity.ERROR,
                        "This person's attendance is recorded twice for the meeting.",
                    )
                seen.add(entry.key)
            if meeting.held and not meeting.attendance:
                self.add(f"{path}.attendance", Severity.WARNING, "Record who came to the meeting.")

    # --- participation ------------------------------------------------------------------
    def participation(self) -> None:
        r = self.review
        if self.dob > self.when:
            self.add(
                "participation_code",
                Severity.ERROR,
                f"The child's date of birth ({say_date(self.dob)}) is after the review date.",
            )
            return
        code = r.participation_code
        if code is None:
            if self.held:
                hint = (
                    " It is PN0: the child is under 4."
                    if suggest_pn_code(self.dob, self.when)
                    else ""
                )
                self.add(
                    "participation_code",
                    Severity.WARNING,
                    "Record the child's participation code; it goes in the DfE return." + hint,
                )
            return
        conflict = pn_code_conflict(self.dob, self.when, code)
        if conflict:
            self.add("participation_code", Severity.ERROR, conflict)
            return
        if r.child_chair in (ChairRole.CHAIR, ChairRole.CO_CHAIR) and code not in ATTENDED_CODES:
            self.add(
                "child_chair",
                Severity.ERROR,
                f"The child is recorded as chairing the review, but {code} says they did not "
                "attend.",
            )
        child = [m for m in merged_attendance(r) if m.role is InviteeRole.CHILD]
        if not child or child[0].attendance is None:
            return
        came = child[0].attendance is Attendance.ATTENDED
        if code in ATTENDED_CODES and not came:
            self.add(
                "participation_code",
                Severity.WARNING,
                f"{code} says the child attended, but no meeting records them as attending.",
            )
        elif code not in ATTENDED_CODES and code != "PN0" and came:
            self.add(
                "participation_code",
                Severity.WARNING,
                f"{code} says the child did not attend, but a meeting records them as attending.",
            )

    # --- care planning ------------------------------------------------------------------
    def care_planning(self) -> None:
        r = self.review
        if self.held and r.permanence_question_required:
            if r.permanence_plan_agreed is None:
                second = r.sequence == 2
                self.add(
                    "permanence_plan_agreed",
                    Severity.ERROR if second else Severity.WARNING,
                    (
                        "This is the child's second review: record whether the permanence "
                        "plan is agreed (it should be by now)."
                        if second
                        else "Record whether the permanence plan is agreed."
                    ),
                )
            elif r.permanence_plan_agreed is False:
                self.add(
                    "permanence_plan_agreed",
                    Severity.ADVICE,
                    "The permanence plan is not agreed by the second review; drift in "
                    "permanence planning is a reason to escalate.",
                )
        old_enough = self.dob <= self.when and age_on(self.dob, self.when) >= PATHWAY_PLAN_AGE
        if self.held and r.kind is ReviewKind.LOOKED_AFTER and old_enough:
            if r.pathway_plan_in_place is None:
                self.add(
                    "pathway_plan_in_place",
                    Severity.ERROR,
                    "The young person is 16 or over: record whether a pathway plan is in place.",
                )
            elif r.pathway_plan_in_place is False:
                self.add(
                    "pathway_plan_in_place",
                    Severity.WARNING,
                    "A young person of 16 or over should have a pathway plan; no pathway plan "
                    "is a reason to escalate.",
                )
        view = r.plan_view
        if view.endorsed and view.endorsed_on is None:
            self.add(
                "plan_view.endorsed_on", Severity.WARNING, "Give the date you endorsed the plan."
            )
        if view.endorsed_on is not None and view.endorsed_on > self.today:
            self.add(
                "plan_view.endorsed_on",
                Severity.ERROR,
                f"The plan's endorsement is dated {say_date(view.endorsed_on)}, in the future.",
            )
        if reached(r.status, ReviewStatus.COMPLETED) and view.endorsed is None:
            self.add("plan_view.endorsed", Severity.WARNING, "Record whether you endorse the plan.")

    # --- topics ---------------------------------------------------------------------------
    def topics(self) -> None:
        r = self.review
        counts = Counter(t.topic for t in r.topics)
        for i, note in enumerate(r.topics):
            if counts[note.topic] > 1:
                self.add(
                    f"topics[{i}].topic",
                    Severity.ERROR,
                    f"'{note.topic.label}' appears more than once.",
                )
        # Advice for the meeting itself: from the first meeting held, not only once complete.
        if not (self.held or reached(r.status, ReviewStatus.COMPLETED)):
            return
        age = age_on(self.dob, self.when) if self.dob <= self.when else None
        covered = {t.topic for t in r.topics if t.covered}
        missing = [t.label for t in topic_checklist(r.kind, age) if t not in covered]
        if missing:
            self.add("topics", Severity.ADVICE, "Not yet covered: " + "; ".join(missing) + ".")

    # --- recommendations --------------------------------------------------------------
    def recommendations(self) -> None:
        r = self.review
        start = self.first or r.planned_on
        ids = Counter(rec.id for rec in r.recommendations)
        for i, rec in enumerate(r.recommendations):
            path = f"recommendations[{i}]"
            if ids[rec.id] > 1:
                self.add(
                    f"{path}.id", Severity.ERROR, f"Two recommendations share the id '{rec.id}'."
                )
            if rec.due_on is not None and rec.due_on < start:
                self.add(
                    f"{path}.due_on",
                    Severity.ERROR,
                    f"Due on {say_date(rec.due_on)}, before the review itself ({say_date(start)}).",
                )
            elif (
                rec.due_on is not None
                and rec.status is RecommendationStatus.OPEN
                and _in_range(rec.due_on)
                and not self.calendar.is_working_day(rec.due_on)
            ):
                # Nobody can act on a Sunday or a bank holiday: say which day would do.
                nearest = self.calendar.next_working_day_on_or_after(rec.due_on)
                self.add(
                    f"{path}.due_on",
                    Severity.WARNING,
                    f"Due on {rec.due_on.strftime('%A')} {say_date(rec.due_on)}, which is not a "
                    f"working day; the next working day is {nearest.strftime('%A')} "
                    f"{say_date(nearest)}.",
                )
            for part, why in vague_findings(rec):
                severity = (
                    Severity.ADVICE if part == "action" and rec.action.strip() else Severity.WARNING
                )
                self.add(f"{path}.{part}", severity, why)
            if not rec.child_wording.strip():
                self.add(
                    f"{path}.child_wording",
                    Severity.ADVICE,
                    "Write this recommendation for the child too, in words they will understand.",
                )
            if rec.status is not RecommendationStatus.OPEN and rec.status_on is None:
                self.add(
                    f"{path}.status_on",
                    Severity.WARNING,
                    f"Give the date the recommendation was {rec.status.value}.",
                )
        if reached(r.status, ReviewStatus.COMPLETED) and not r.recommendations:
            self.add("recommendations", Severity.WARNING, "The review has no recommendations.")


def check_review(
    review: Review,
    child_dob: date,
    period_start: date,
    today: date,
    *,
    basis: SeriesBasis = SeriesBasis.FIRST_MEETING,
    calendar: WorkingCalendar = ENGLAND_AND_WALES,
    consult_weeks: int = CONSULT_WEEKS,
    report_days_before: int = REPORT_WORKING_DAYS_BEFORE,
) -> list[Problem]:
    """Everything doubtful about the record, errors first; never refuses the draft.

    `consult_weeks` and `report_days_before` are the practice profile's visit window and
    social worker's report standard (pass `profile.visit_window_weeks` and
    `profile.social_worker_report_working_days_before`)."""
    return _Checker(
        review,
        child_dob,
        period_start,
        today,
        basis,
        calendar,
        consult_weeks,
        report_days_before,
    ).run()


def has_errors(problems: list[Problem]) -> bool:
    return any(p.severity is Severity.ERROR for p in problems)
