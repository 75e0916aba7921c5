"""The professional record of a review as a PDF (domain brief 4.2), for the child's file."""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from iro_desktop.domain.letter import format_date
from iro_desktop.domain.record import RecordFacts, SignOffStamp
from iro_desktop.pdf.layout import (
    ACCENT,
    ACCENT_LIGHT,
    MARGIN,
    Output,
    Styles,
    build_pdf,
    make_styles,
    para,
    stamp_text,
    table_style,
)

BODY_SIZE = 11.0
NOTHING = "Nothing recorded."
_CONTENT_WIDTH = 210 * mm - 2 * MARGIN
_GRID = colors.HexColor("#b7cdd5")


def _yes_no(value: bool) -> str:
    return "Yes" if value else "No"


def render_record(record: RecordFacts, out: Output, signoff: SignOffStamp | None = None) -> int:
    """Write the record of the review as a PDF; returns the number of pages.

    `signoff` overrides the stamp held in the record, if any.
    """
    stamp = signoff if signoff is not None else record.signoff
    s = make_styles(BODY_SIZE)
    story: list[Flowable] = [
        para(record.service_name, s.small_bold, bold=True, textColor=ACCENT),
        para(f"Record of review: {record.review_kind.label}", s.title, bold=True, spaceAfter=2),
        para(record.child_name, s.heading, bold=True, spaceBefore=0),
        _summary(record, s),
    ]

    story.append(para("Meetings", s.heading, bold=True))
    count = len(record.meetings_sorted)
    for n, meeting in enumerate(record.meetings_sorted, start=1):
        label = f"Meeting {n} of {count}: " if count > 1 else ""
        heading = f"{label}{format_date(meeting.held_on)}, {meeting.venue}"
        rows: list[list[Flowable]] = [
            [para(h, s.cell_bold, bold=True) for h in ("Name", "Role", "Took part")]
        ]
        for a in meeting.attendees:
            rows.append(
                [
                    para(a.name, s.cell),
                    para(a.role_label, s.cell),
                    para(a.participation.label, s.cell),
                ]
            )
        block: list[Flowable] = [para(heading, s.body_bold, bold=True, spaceBefore=4)]
        if meeting.held_separately:  # the reason the window requires for a separate meeting
            block.append(para(meeting.held_separately, s.body, spaceAfter=3))
        if meeting.attendees:
            block.append(_table(rows, [0.42, 0.33, 0.25]))
        else:
            block.append(para("No attendees recorded.", s.body))
        keep = 3 if meeting.held_separately else 2
        story.append(KeepTogether(block[:keep]))
        story.extend(block[keep:])
        story.extend(_paragraphs(meeting.notes, s, label="Notes: "))

    story.append(para("Topics covered", s.heading, bold=True))
    if not record.topics:
        story.append(para("No topics recorded.", s.body))
    for topic in record.topics:
        story.append(para(topic.name, s.body_bold, bold=True, keepWithNext=1, spaceAfter=2))
        for label, text in (
            ("What is working well", topic.working_well),
            ("What we are worried about", topic.worried_about),
            ("What needs to happen", topic.needs_to_happen),
        ):
            story.append(para(label, s.small_bold, bold=True, textColor=ACCENT, keepWithNext=1))
            story.extend(_paragraphs(text, s))

    story.append(para("Permanence plan", s.heading, bold=True))
    story.extend(_paragraphs(record.permanence_plan, s))
    story.append(para("The IRO's view of the plan", s.heading, bold=True))
    story.extend(_paragraphs(record.iro_view, s))
    story.append(
        para(
            f"The IRO endorsed the plan on {format_date(record.endorsed_on)}."
            if record.endorsed_on
            else "The IRO has not endorsed the plan.",
            s.body_bold,
            bold=True,
        )
    )

    story.append(para("Recommendations", s.heading, bold=True))
    if record.recommendations:
        rows = [[para(h, s.cell_bold, bold=True) for h in ("Action", "Who", "By when")]]
        for rec in record.recommendations:
            rows.append(
                [
                    para(rec.action, s.cell),
                    para(rec.owner, s.cell),
                    para(format_date(rec.due, weekday=False), s.cell),
                ]
            )
        story.append(_table(rows, [0.58, 0.22, 0.20]))
    else:
        story.append(para("No recommendations were made.", s.body))

    story.append(Spacer(1, 8))
    story.append(_signoff_box(stamp, record.iro_name, s))
    return build_pdf(
        story,
        out,
        title=f"Record of review: {record.child_name}, {format_date(record.held_on, weekday=False)}",
        author=record.iro_name,
        subject=f"{record.review_kind.label} held on {record.held_on.isoformat()}",
        language="en-GB",
        footer_left=f"{record.service_name} · {record.child_name} · OFFICIAL-SENSITIVE",
        footer_right=stamp_text(stamp) if stamp else "Draft: not yet approved by a manager",
        footer_size=s.footer_size,
    )


def _summary(record: RecordFacts, s: Styles) -> Flowable:
    pairs: list[tuple[str, str]] = []
    if record.date_of_birth:
        pairs.append(("Date of birth", format_date(record.date_of_birth, weekday=False)))
    pairs.extend((cid.label, cid.value) for cid in record.child_ids)
    pairs.append(("Due by", format_date(record.due_date, weekday=False)))
    pairs.append(("Held on", format_date(record.held_on, weekday=False)))
    if record.is_series:
        pairs.append(
            ("Completed on", f"{format_date(record.completed_on, weekday=False)} (series)")
        )
    if record.judged_on != record.held_on:
        pairs.append(("Timeliness judged on", format_date(record.judged_on, weekday=False)))
    pairs.append(("In timescale", _yes_no(record.in_timescale)))
    pairs.append(("Chaired by the child", record.child_chaired.label))
    pairs.append(("Social worker attended", _yes_no(record.social_worker_attended)))
    pairs.append(("Social worker's report", _yes_no(record.social_worker_report)))
    pairs.append(("Parents attended", _yes_no(record.parents_attended)))
    pairs.append(("IRO", record.iro_name))
    pairs.append(("Participation", record.participation_words))
    rows: list[list[Flowable | str]] = []
    commands: list[tuple[object, ...]] = []
    i = 0
    while i < len(pairs):
        # Two facts to a row; a long value (or a lone last one) takes the whole row.
        wide = i == len(pairs) - 1 or max(len(pairs[i][1]), len(pairs[i + 1][1])) > 40
        chunk = pairs[i : i + 1] if wide else pairs[i : i + 2]
        row: list[Flowable | str] = []
        for label, value in chunk:
            row.extend([para(label, s.cell_bold, bold=True), para(value, s.cell)])
            commands.append(
                ("BACKGROUND", (len(row) - 2, len(rows)), (len(row) - 2, len(rows)), ACCENT_LIGHT)
            )
        if wide:
            row.extend(["", ""])
            commands.append(("SPAN", (1, len(rows)), (3, len(rows))))
        rows.append(row)
        i += len(chunk)
    table = _table(rows, [0.22, 0.28, 0.22, 0.28], header=False)
    table.setStyle(TableStyle(commands))
    return table


def _table(
    rows: list[list[Flowable]] | list[list[Flowable | str]],
    fractions: list[float],
    *,
    header: bool = True,
) -> Table:
    table = Table(
        rows,
        colWidths=[f * _CONTENT_WIDTH for f in fractions],
        repeatRows=1 if header else 0,
        splitInRow=1,  # a very long action or note flows onto the next page
        hAlign="LEFT",
    )
    commands: list[tuple[object, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.5, _GRID),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), ACCENT_LIGHT))
    table.setStyle(table_style(commands))
    return table


def _paragraphs(text: str, s: Styles, *, label: str = "") -> list[Paragraph]:
    blocks = [" ".join(b.split()) for b in text.replace("\r\n", "\n").split("\n\n")]
    blocks = [b for b in blocks if b]
    if not blocks:
        return [] if label else [para(NOTHING, s.body, textColor=colors.HexColor("#555555"))]
    if label:
        blocks[0] = label + blocks[0]
    return [para(b, s.body, spaceBefore=4 if label else 0) for b in blocks]


def _signoff_box(stamp: SignOffStamp | None, iro_name: str, s: Styles) -> Flowable:
    text = (
        f"Approved for issue. {stamp_text(stamp)}. Written by {iro_name}."
        if stamp
        else f"Written by {iro_name}. Not yet approved by a manager: this is a draft."
    )
    table = Table([[para(text, s.small)]], colWidths=[_CONTENT_WIDTH], hAlign="LEFT")
    table.setStyle(
        table_style(
            [
                ("BOX", (0, 0), (-1, -1), 0.8, ACCENT),
                ("LEFTPADDING", (0, 0), (-1, -1), 8),
                ("TOPPADDING", (0, 0), (-1, -1), 5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    return table
