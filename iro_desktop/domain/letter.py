"""The letter to the child: the facts it is written from, the draft, and its editable text.

Minutes of a review are written as a letter to the child (domain brief 4.4): warm, plain,
jargon-free, saying who came, what is going well, what people are worried about, what was
decided, who will do what next, and how to reach the IRO, an advocate or make a complaint.

`draft_letter` writes a first draft from the facts with the wording of an editable phrase bank
(one per age band, see resources/phrases/). The IRO then edits it freely; what is stored and
versioned is the plain text from `letter_to_text`, which `letter_from_text` reads back.
"""

from __future__ import annotations

import enum
import re
import string
import tomllib
from dataclasses import dataclass, field
from datetime import date

from iro_desktop.domain.calendar import check_in_range
from iro_desktop.domain.codes import PERSON_ROLES
from iro_desktop.domain.plain_language import AgeBand, simplify
from iro_desktop.domain.record import Chairing
from iro_desktop.domain.second_person import (
    ChildNames,
    Flag,
    as_decision,
    is_no_action,
    third_person_flags,
    to_second_person,
)

__all__ = [
    "AgeBand",
    "Chairing",
    "ChildWords",
    "DraftNote",
    "Flag",
    "LastTime",
    "Outcome",
    "IroContact",
    "LetterDraft",
    "LetterFacts",
    "LetterPerson",
    "LetterRecommendation",
    "LetterSection",
    "PhraseBank",
    "ServiceContact",
    "age_band_for",
    "age_on",
    "draft_letter",
    "flag_notes",
    "flags_in",
    "format_date",
    "letter_from_text",
    "letter_to_text",
    "load_phrase_bank",
]

_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_NUMBER_WORDS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
]


def format_date(d: date, *, weekday: bool = True) -> str:
    """'Tuesday 4 March 2025': the way a date is written in a letter (no locale involved)."""
    text = f"{d.day} {_MONTHS[d.month - 1]} {d.year}"
    return f"{_DAYS[d.weekday()]} {text}" if weekday else text


def age_on(date_of_birth: date, on: date) -> int:
    """Age in whole years on a date (a 29 February birthday counts from 1 March)."""
    years = on.year - date_of_birth.year
    if (on.month, on.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years


def age_band_for(date_of_birth: date, on: date, *, care_leaver: bool) -> AgeBand:
    """The letter's age band from the child's age on the review date."""
    age = age_on(date_of_birth, on)
    if age < 0:
        raise ValueError(
            f"The date of birth {date_of_birth.isoformat()} is after the review on "
            f"{on.isoformat()}."
        )
    if care_leaver:
        if age < 16:
            raise ValueError(
                f"A care leaver is 16 to 25, but this young person is {age} on "
                f"{on.isoformat()}. Check the date of birth or the care leaver flag."
            )
        return AgeBand.CARE_LEAVER
    if age >= 18:
        return AgeBand.CARE_LEAVER
    if age < 8:
        return AgeBand.UNDER_8
    if age <= 12:
        return AgeBand.AGE_8_TO_12
    return AgeBand.AGE_13_TO_17


# ---------------------------------------------------------------------------------------------
# Facts


def _require(value: str, what: str) -> None:
    if not value.strip():
        raise ValueError(f"{what} is empty; please fill it in.")


def _clean_items(items: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(i.strip() for i in items if i.strip())


@dataclass(frozen=True)
class LetterPerson:
    """Someone at (or who sent views to) the review, as the child knows them.

    `relationship` is the IRO's own words for people the role names badly ("mum", "nan",
    "football coach"); otherwise the phrase bank's words for the role are used.
    """

    name: str
    role: str  # a key of codes.PERSON_ROLES
    relationship: str | None = None

    def __post_init__(self) -> None:
        _require(self.name, "The name of someone at the review")
        if self.role not in PERSON_ROLES:
            raise ValueError(
                f"'{self.role}' is not a known role for {self.name}. "
                f"Use one of: {', '.join(PERSON_ROLES)}."
            )


@dataclass(frozen=True)
class LetterRecommendation:
    action: str  # the professional wording, as in the record
    owner: str  # the name of the person who will do it
    due: date
    child_wording: str | None = None  # the words the child will read

    def __post_init__(self) -> None:
        _require(self.action, "A recommendation's action")
        _require(self.owner, f"The owner of the recommendation '{self.action}'")
        check_in_range(self.due, "recommendation due date")


@dataclass(frozen=True)
class ChildWords:
    """Something the child said or wrote for the review, in their own words.

    `said` is how they said it, in the letter's words ("you said this at the meeting").
    """

    words: str
    said: str

    def __post_init__(self) -> None:
        _require(self.words, "The child's words")
        _check_line(" ".join(self.words.split()), "The child's words")


class Outcome(enum.StrEnum):
    DONE = "done"
    NOT_DONE = "not_done"
    CHANGED = "changed"


@dataclass(frozen=True)
class LastTime:
    """One of the previous review's recommendations, and what happened to it."""

    wording: str  # in the child's words where the IRO wrote them
    outcome: Outcome
    why: str = ""  # the note recorded with the outcome
    on: date | None = None


@dataclass(frozen=True)
class IroContact:
    name: str
    phone: str
    email: str

    def __post_init__(self) -> None:
        _require(self.name, "The IRO's name")
        if not (self.phone.strip() or self.email.strip()):
            raise ValueError(
                f"The letter needs a phone number or an email address for {self.name}, so "
                "the child can get in touch."
            )


@dataclass(frozen=True)
class ServiceContact:
    """An advocacy service or the complaints team."""

    name: str
    phone: str = ""
    email: str = ""
    website: str = ""

    def __post_init__(self) -> None:
        _require(self.name, "A service's name")
        if not (self.phone.strip() or self.email.strip() or self.website.strip()):
            raise ValueError(
                f"'{self.name}' needs a phone number, an email address or a website, so the "
                "child can reach it."
            )


@dataclass(frozen=True, kw_only=True)
class LetterFacts:
    """What the letter to the child is written from."""

    legal_name: str
    preferred_name: str | None = None
    date_of_birth: date
    care_leaver: bool = False
    meeting_dates: tuple[date, ...]
    written_on: date
    child_came: bool = True
    child_chaired: Chairing = Chairing.NO
    came: tuple[LetterPerson, ...] = ()
    shared_views: tuple[LetterPerson, ...] = ()
    going_well: tuple[str, ...] = ()
    worries: tuple[str, ...] = ()
    decisions: tuple[str, ...] = ()
    recommendations: tuple[LetterRecommendation, ...] = ()
    next_review: date | None = None
    iro: IroContact
    advocacy: ServiceContact
    complaints: ServiceContact
    service_name: str = "Independent Reviewing Service"
    sex: str = ""  # M, F or '': which of he/she may mean the child when checking the text
    # What the child told us for this review, in their own words.
    child_words: tuple[ChildWords, ...] = ()
    # How the child's views were sought when they did not take part (the IRO's words).
    views_sought: str = ""
    # The previous review's recommendations and what happened; None: this is the first review.
    last_time: tuple[LastTime, ...] | None = None
    first_language: str = ""
    interpreter: bool = False

    def __post_init__(self) -> None:
        _require(self.legal_name, "The child's legal name")
        if not self.meeting_dates:
            raise ValueError(
                f"The review for {self.legal_name} has no meetings. Add the date of at least "
                "one meeting before writing the letter."
            )
        for d in self.meeting_dates:
            check_in_range(d, "meeting date")
        check_in_range(self.written_on, "letter date")
        object.__setattr__(self, "meeting_dates", tuple(sorted(set(self.meeting_dates))))
        for name in ("going_well", "worries", "decisions"):
            object.__setattr__(self, name, _clean_items(getattr(self, name)))
        if self.preferred_name is not None and not self.preferred_name.strip():
            object.__setattr__(self, "preferred_name", None)
        # Raises for an impossible age or a care leaver under 16.
        age_band_for(self.date_of_birth, self.held_on, care_leaver=self.care_leaver)
        if self.written_on < self.completed_on:
            raise ValueError(
                f"The letter is dated {self.written_on.isoformat()}, before the review's last "
                f"meeting on {self.completed_on.isoformat()}."
            )
        if self.next_review is not None and self.next_review <= self.completed_on:
            raise ValueError(
                f"The next review date {self.next_review.isoformat()} is not after this "
                f"review's last meeting on {self.completed_on.isoformat()}."
            )
        for rec in self.recommendations:
            if rec.due < self.held_on:
                raise ValueError(
                    f"The recommendation '{rec.action}' is due on {rec.due.isoformat()}, "
                    f"before the review on {self.held_on.isoformat()}."
                )

    @property
    def held_on(self) -> date:
        return self.meeting_dates[0]

    @property
    def completed_on(self) -> date:
        return self.meeting_dates[-1]

    @property
    def age(self) -> int:
        return age_on(self.date_of_birth, self.held_on)

    @property
    def age_band(self) -> AgeBand:
        return age_band_for(self.date_of_birth, self.held_on, care_leaver=self.care_leaver)

    @property
    def name_to_use(self) -> str:
        """The name the letter calls the child: preferred name, else the first legal name."""
        if self.preferred_name:
            return self.preferred_name.strip()
        return self.legal_name.split()[0]

    @property
    def names(self) -> ChildNames:
        """Every name the record may call the child by, to find them in the third person."""
        legal = self.legal_name.split()
        return ChildNames.of(
            self.legal_name,
            self.name_to_use,
            legal[0],
            *(self.preferred_name or "",),
            sex=self.sex,
        )

    @property
    def other_language(self) -> str:
        """The child's recorded first language when it is not English ('' otherwise)."""
        language = " ".join(self.first_language.split())
        return "" if language.lower() in ("", "english", "eng") else language

    @property
    def name_note(self) -> str | None:
        if self.preferred_name:
            return None
        return (
            f"No preferred name is recorded, so the letter calls the child "
            f"'{self.name_to_use}', the first part of the legal name '{self.legal_name}'. "
            "Check this is the name they like to be called."
        )


# ---------------------------------------------------------------------------------------------
# The draft and its text form


@dataclass(frozen=True)
class LetterSection:
    """A heading and its paragraphs. A paragraph starting '- ' is a list item."""

    heading: str
    paragraphs: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _check_line(self.heading, "A section heading", allow_empty=True)
        for p in self.paragraphs:
            _check_line(p, f"A paragraph in '{self.heading or 'the opening'}'")
            if p.startswith("## ") or p == "##" or p == "---":
                raise ValueError(
                    f"The paragraph '{p}' would read as a heading or the sign-off marker."
                )


@dataclass(frozen=True)
class DraftNote:
    """Something the IRO should check in a drafted letter; not part of the letter itself."""

    kind: str  # "preferred_name_missing" or "child_wording_missing"
    message: str


@dataclass(frozen=True)
class LetterDraft:
    title: str
    salutation: str
    sections: tuple[LetterSection, ...]
    sign_off: tuple[str, ...] = ()
    notes: tuple[DraftNote, ...] = field(default=())

    def __post_init__(self) -> None:
        _check_line(self.title, "The letter's title")
        _check_line(self.salutation, "The letter's greeting")
        if self.salutation.startswith(("#", "- ")) or self.salutation == "---":
            raise ValueError(f"The greeting '{self.salutation}' would read as something else.")
        for i, s in enumerate(self.sections):
            if not s.heading and (i > 0 or not s.paragraphs):
                raise ValueError(
                    "Only the opening of the letter can be without a heading, and it needs "
                    "at least one paragraph."
                )
        for line in self.sign_off:
            _check_line(line, "A line of the sign-off")

    def without_notes(self) -> LetterDraft:
        return LetterDraft(self.title, self.salutation, self.sections, self.sign_off)

    def plain_text(self) -> str:
        return letter_to_text(self)


def _check_line(value: str, what: str, *, allow_empty: bool = False) -> None:
    if "\n" in value or "\r" in value:
        raise ValueError(f"{what} must be a single line: '{value}'.")
    if value != value.strip():
        raise ValueError(f"{what} has spaces at its start or end: '{value}'.")
    if not value and not allow_empty:
        raise ValueError(f"{what} is empty.")


_SIGN_OFF_MARKER = "---"


def letter_to_text(draft: LetterDraft) -> str:
    """The editable, storable text of a letter.

    Format: '# title', the greeting, then paragraphs separated by blank lines; '## ' starts a
    section; '- ' starts a list item; a line '---' is followed by the sign-off lines.
    """
    out = [f"# {draft.title}", "", draft.salutation]
    for section in draft.sections:
        out.append("")
        if section.heading:
            out.append(f"## {section.heading}")
        previous_bullet = False
        for i, p in enumerate(section.paragraphs):
            bullet = p.startswith("- ")
            if (i == 0 and section.heading) or (i > 0 and not (bullet and previous_bullet)):
                out.append("")
            out.append(p)
            previous_bullet = bullet
    if draft.sign_off:
        out.extend(["", _SIGN_OFF_MARKER, *draft.sign_off])
    return "\n".join(out) + "\n"


def letter_from_text(text: str) -> LetterDraft:
    """Read back a letter's text (as written by letter_to_text, then edited by the IRO)."""
    lines = [ln.rstrip() for ln in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    i = 0
    while i < len(lines) and not lines[i].strip():
        i += 1
    if i == len(lines) or not lines[i].startswith("# "):
        first = lines[i].strip() if i < len(lines) else ""
        raise ValueError(
            f"The letter must start with its title on a line beginning '# ', not '{first}'."
        )
    title = lines[i][2:].strip()
    i += 1
    while i < len(lines) and not lines[i].strip():
        i += 1
    if i == len(lines) or lines[i].strip().startswith("#") or lines[i].strip() == "---":
        raise ValueError("The letter needs a greeting (such as 'Dear Amira,') after its title.")
    salutation = lines[i].strip()
    i += 1

    sections: list[LetterSection] = []
    heading: str | None = None
    paragraphs: list[str] = []
    current: list[str] = []

    def end_paragraph() -> None:
        if current:
            paragraphs.append(" ".join(current))
            current.clear()

    def end_section() -> None:
        end_paragraph()
        if heading is not None or paragraphs:
            sections.append(LetterSection(heading or "", tuple(paragraphs)))
        paragraphs.clear()

    sign_off: list[str] = []
    while i < len(lines):
        line = lines[i].strip()
        i += 1
        if line == _SIGN_OFF_MARKER:
            sign_off = [ln.strip() for ln in lines[i:] if ln.strip()]
            break
        if line.startswith("## ") or line == "##":
            end_section()
            heading = line[2:].strip()
            if not heading:
                raise ValueError(f"A heading line on line {i} has no words after '##'.")
        elif not line:
            end_paragraph()
        elif line.startswith("- "):
            end_paragraph()
            current.append(line)
        else:
            current.append(line)
    end_section()
    return LetterDraft(title, salutation, tuple(sections), tuple(sign_off))


# ---------------------------------------------------------------------------------------------
# Phrase banks

# Each phrase, and the {names} it may use.
PHRASES: dict[str, frozenset[str]] = {
    k: frozenset(v.split())
    for k, v in {
        "title": "name",
        "salutation": "name",
        "review_single": "date",
        "review_series": "count dates",
        "thanks_came": "",
        "missed_you": "",
        "chaired": "",
        "co_chaired": "",
        "purpose": "",
        "heading_who_came": "",
        "lead_came": "",
        "lead_shared_views": "",
        "empty_who_came": "",
        "heading_going_well": "",
        "empty_going_well": "",
        "heading_worries": "",
        "empty_worries": "",
        "heading_decided": "",
        "empty_decided": "",
        "heading_next_steps": "",
        "lead_next_steps": "",
        "recommendation": "wording owner Owner due",
        "empty_next_steps": "",
        "heading_next_review": "",
        "next_review": "date",
        "next_review_unknown": "",
        "before_next_review": "iro",
        "heading_get_in_touch": "",
        "iro_contact": "iro details",
        "advocate": "service details",
        "complaints": "service details",
        "details_phone": "phone",
        "details_email": "email",
        "details_website": "website",
        "word_or": "",
        "closing": "name",
        "sign_off": "",
        "signature_role": "",
        "person": "role name",
        "person_relationship": "relationship name",
        "owner_child": "",
    }.items()
}


# Phrases added after the first phrase banks were written: a bank may leave them out and get
# these words (a service's own bank written before them keeps working).
OPTIONAL_PHRASES: dict[str, tuple[frozenset[str], str]] = {
    k: (frozenset(names.split()), words)
    for k, (names, words) in {
        "heading_told_me": ("", "What you told me"),
        "lead_told_me": ("", "This is what you told me, in your own words:"),
        "quote": ("words said", "“{words}” {said}"),
        "said_consultation_form": ("", "You wrote this on your form before the review."),
        "said_mind_of_my_own": ("", "You told me this on Mind of My Own."),
        "said_in_meeting": ("", "You said this at the meeting."),
        "said_to_iro": ("", "You told me this before the review."),
        "said_other": ("", "You told me this."),
        "views_sought": (
            "how",
            "You did not take part in the review this time. {how} You can still tell me what "
            "you think at any time, and I will make sure people listen.",
        ),
        "came_no_words": ("", "You came to your review and told us what you think. Thank you."),
        # PN0: a child under 4 is not asked for words; the letter is kept for them to read later.
        "too_young_came": (
            "",
            "You came to your review. You are too little to tell us in words yet, so I watched "
            "how you are, and the people who look after you told me how you are getting on.",
        ),
        "too_young": (
            "",
            "You are too little to tell us in words yet, so the people who look after you told "
            "me how you are getting on.",
        ),
        "views_not_heard": (
            "",
            "I did not hear from you for this review. You can tell me what you think at any "
            "time, and I will make sure people listen.",
        ),
        "heading_last_time": ("", "What we agreed last time, and what happened"),
        "first_review": ("", "This was your first review, so there was nothing agreed before."),
        "nothing_last_time": ("", "We did not agree anything at your last review."),
        "last_time_item": ("wording outcome", "{wording} {outcome}"),
        "outcome_done": ("", "This was done."),
        "outcome_done_on": ("date", "This was done on {date}."),
        "outcome_not_done": ("", "This has not happened yet."),
        "outcome_not_done_why": ("why", "This has not happened yet: {why}"),
        "outcome_changed": ("why", "This changed: {why}"),
        "lead_also_agreed": ("", "We also agreed:"),
        "recommendation_action": ("Owner action due", "{Owner} will {action} by {due}."),
        "recommendation_when": ("wording due", "{wording} This will happen by {due}."),
        "language_note": (
            "language",
            "This letter is written in English. If you would like it read to you or put into "
            "{language}, tell me and I will arrange it.",
        ),
        "interpreter_note": (
            "",
            "If you would like an interpreter to go through this letter with you, tell me and I "
            "will arrange it.",
        ),
    }.items()
}
PHRASES.update({k: names for k, (names, _) in OPTIONAL_PHRASES.items()})

# How many notes each part of the letter carries for a reader in each age band: a short letter
# for a young child, more detail for a teenager or a young adult. Recommendations are never cut.
ITEMS_FOR_BAND: dict[AgeBand, int] = {
    AgeBand.UNDER_8: 3,
    AgeBand.AGE_8_TO_12: 5,
    AgeBand.AGE_13_TO_17: 6,
    AgeBand.CARE_LEAVER: 8,
}

# Phrases a letter cannot do without: the child must always learn how to reach the IRO, an
# advocate and the complaints service (domain brief 4.4).
_MUST_HAVE_WORDS = (
    "title salutation recommendation person person_relationship owner_child word_or "
    "details_phone details_email details_website iro_contact advocate complaints "
    + " ".join(k for k in PHRASES if k.startswith("heading_"))
).split()


@dataclass(frozen=True)
class PhraseBank:
    """A service's wording for letters to one age band (from a TOML file it can edit)."""

    band: AgeBand
    phrases: dict[str, str]
    roles: dict[str, str]  # codes.PERSON_ROLES key -> child-friendly words ("your carer")

    def say(self, key: str, **values: str) -> str:
        phrase = self.phrases.get(key)
        if phrase is None:
            phrase = OPTIONAL_PHRASES[key][1]
        return phrase.format_map(values)


def load_phrase_bank(text: str) -> PhraseBank:
    """Parse and check a phrase bank written in TOML (see resources/phrases/)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ValueError(f"The phrase bank is not valid TOML: {e}.") from e
    bands = {b.value: b for b in AgeBand}
    band_value = data.get("band")
    if band_value not in bands:
        raise ValueError(
            f"The phrase bank's band is '{band_value}'; use one of: {', '.join(bands)}."
        )
    unknown_tables = set(data) - {"band", "letter", "roles"}
    if unknown_tables:
        raise ValueError(
            f"The phrase bank has unknown entries: {', '.join(sorted(unknown_tables))}."
        )
    phrases = _string_table(data, "letter")
    roles = _string_table(data, "roles")
    missing = [k for k in PHRASES if k not in phrases and k not in OPTIONAL_PHRASES]
    if missing:
        raise ValueError(f"The phrase bank is missing these phrases: {', '.join(missing)}.")
    unknown = [k for k in phrases if k not in PHRASES]
    if unknown:
        raise ValueError(f"The phrase bank has unknown phrases: {', '.join(unknown)}.")
    for key, phrase in phrases.items():
        allowed = PHRASES[key]
        try:
            used = {f for _, f, _, _ in string.Formatter().parse(phrase) if f is not None}
        except ValueError as e:
            raise ValueError(f"The phrase '{key}' has unmatched braces: {phrase}") from e
        wrong = sorted(used - allowed)
        if wrong:
            allowed_text = ", ".join("{" + a + "}" for a in sorted(allowed)) or "none"
            raise ValueError(
                f"The phrase '{key}' uses {', '.join('{' + w + '}' for w in wrong)}, which it "
                f"cannot fill in. Allowed here: {allowed_text}."
            )
    blank = [k for k in _MUST_HAVE_WORDS if k in phrases and not phrases[k].strip()]
    if blank:
        raise ValueError(f"These phrases cannot be left empty: {', '.join(blank)}.")
    missing_roles = [r for r in PERSON_ROLES if r not in roles]
    if missing_roles:
        raise ValueError(
            f"The phrase bank has no words for these roles: {', '.join(missing_roles)}."
        )
    unknown_roles = [r for r in roles if r not in PERSON_ROLES]
    if unknown_roles:
        raise ValueError(f"The phrase bank has unknown roles: {', '.join(unknown_roles)}.")
    return PhraseBank(bands[band_value], phrases, roles)


def _string_table(data: dict[str, object], name: str) -> dict[str, str]:
    table = data.get(name)
    if not isinstance(table, dict):
        raise ValueError(f"The phrase bank needs a [{name}] table.")
    result: dict[str, str] = {}
    for key, value in table.items():
        if not isinstance(value, str):
            raise ValueError(f"The phrase '{name}.{key}' must be text in quotes.")
        result[key] = " ".join(value.split())  # TOML multi-line strings become one line
    return result


# ---------------------------------------------------------------------------------------------
# Drafting


def _join_words(items: list[str], word_or_and: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {word_or_and} {items[-1]}"


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else text + "."


def _describe(person: LetterPerson, bank: PhraseBank) -> str:
    """'your social worker Sam': the person in the child's words."""
    name = person.name.strip()
    if person.relationship and person.relationship.strip():
        text = bank.say("person_relationship", relationship=person.relationship.strip(), name=name)
    else:
        text = bank.say("person", role=bank.roles[person.role], name=name)
    return " ".join(text.split())


def _contact_details(bank: PhraseBank, phone: str, email: str, website: str) -> str:
    parts = []
    if phone.strip():
        parts.append(bank.say("details_phone", phone=phone.strip()))
    if email.strip():
        parts.append(bank.say("details_email", email=email.strip()))
    if website.strip():
        parts.append(bank.say("details_website", website=website.strip()))
    return _join_words(parts, bank.say("word_or"))


def _key(text: str) -> str:
    """What makes two notes 'the same item' for the reader: their words, not their case."""
    words = re.findall(r"[a-z0-9]+", text.lower())
    return " ".join(w for w in words if w not in _FILLER)


_FILLER = frozenset(
    ["a", "an", "the", "your", "you", "will", "to", "by", "of", "and", "is", "are", "was"]
)


def _overlaps(a: str, b: str) -> bool:
    """True when most of the words of `a` are already in `b` ('Carer to book the dentist' in
    'Your carer will book you a check-up at the dentist')."""
    wa, wb = set(_key(a).split()), set(_key(b).split())
    if not wa:
        return True
    return len(wa & wb) / len(wa) >= 0.6


class _Once:
    """Every item of the letter once, whichever part of the record it came from."""

    def __init__(self) -> None:
        self.seen: set[str] = set()

    def first_time(self, text: str) -> bool:
        key = _key(text)
        if not key or key in self.seen:
            return False
        self.seen.add(key)
        return True


def _for_child(
    items: tuple[str, ...], names: ChildNames, once: _Once, *, decided: bool = False
) -> list[str]:
    out = []
    for item in items:
        if is_no_action(item):
            continue
        # No jargon swaps here: a swapped phrase inside a note can read badly, and the
        # plain-language panel points at the jargon left for the IRO to reword.
        text = as_decision(item, names) if decided else to_second_person(item, names)
        text = _sentence(_capitalise(text))
        if once.first_time(text):
            out.append(text)
    return out


_ROLE_NAMES = {
    **{label.lower(): key for key, label in PERSON_ROLES.items()},
    **{key.replace("_", " "): key for key in PERSON_ROLES},
}


def _names_owner(wording: str, owner: str, owner_name: str, bank: PhraseBank) -> bool:
    """True when the child's wording starts by saying who does it, and says what they will do."""
    start = wording.lower()
    if " will " not in start or wording.rstrip().endswith(("?", "!")):
        return False
    who = {owner.lower(), owner_name.strip().lower(), owner_name.strip().split(" ")[0].lower()}
    who |= {" ".join(owner.lower().split()[:3])}  # 'your social worker' of '... Sam'
    if owner.lower() == bank.say("owner_child").lower():
        who.add("you")
    return any(w and start.startswith(w + " ") for w in who)


def _capped(
    items: list[str], band: AgeBand, what: str, notes: list[DraftNote], *, limit: int = 0
) -> list[str]:
    limit = limit or ITEMS_FOR_BAND[band]
    if len(items) <= limit:
        return items
    notes.append(
        DraftNote(
            "shortened",
            f"{len(items) - limit} of the {len(items)} notes on {what} were left out to keep "
            f"the letter short for a reader aged {band.label}. Add back any that matter most.",
        )
    )
    return items[:limit]


def _said(bank: PhraseBank, said: str) -> str:
    key = f"said_{said}"
    return bank.say(key) if key in PHRASES else said


def _told_me(facts: LetterFacts, bank: PhraseBank, notes: list[DraftNote]) -> list[str]:
    quotes = []
    seen: set[str] = set()
    for w in facts.child_words:
        words = " ".join(w.words.split()).strip('“”"')
        if _key(words) in seen:
            continue
        seen.add(_key(words))
        quotes.append("- " + bank.say("quote", words=words, said=_said(bank, w.said)))
    if quotes:
        return [bank.say("lead_told_me"), *quotes]
    if facts.age < 4:  # PN0: never thanked for views a baby could not give
        return [bank.say("too_young_came" if facts.child_came else "too_young")]
    how = " ".join(facts.views_sought.split())
    if facts.child_came:
        notes.append(
            DraftNote(
                "child_words_missing",
                f"{facts.name_to_use} came to the review, but nothing they said is recorded in "
                "their own words. Add what they told you to the review and redraft, or write "
                "it here.",
            )
        )
        return [bank.say("came_no_words")]
    if how:
        how = _sentence(_capitalise(to_second_person(how, facts.names)))
        return [bank.say("views_sought", how=how)]
    notes.append(
        DraftNote(
            "child_words_missing",
            f"Nothing {facts.name_to_use} said or wrote for the review is recorded, and not how "
            "their views were sought. Add their words (or how you asked them) to the review, "
            "then redraft, or write it here.",
        )
    )
    return [bank.say("views_not_heard")]


def _last_time(
    facts: LetterFacts, bank: PhraseBank, once: _Once, notes: list[DraftNote]
) -> list[str]:
    if facts.last_time is None:
        return [bank.say("first_review")]
    if not facts.last_time:
        return [bank.say("nothing_last_time")]
    out = []
    for item in facts.last_time:
        wording = _sentence(_capitalise(to_second_person(item.wording, facts.names)))
        why = " ".join(item.why.split())
        why = _sentence(to_second_person(why, facts.names)) if why else ""
        if item.outcome is Outcome.DONE:
            outcome = (
                bank.say("outcome_done_on", date=format_date(item.on, weekday=False))
                if item.on
                else bank.say("outcome_done")
            )
        elif item.outcome is Outcome.CHANGED:
            outcome = bank.say("outcome_changed", why=_lower(why) or "we decided not to do it.")
        elif why:
            outcome = bank.say("outcome_not_done_why", why=_lower(why))
        else:
            outcome = bank.say("outcome_not_done")
            notes.append(
                DraftNote(
                    "last_time_why_missing",
                    f"Last time's '{item.wording}' has not been done and no reason is "
                    "recorded. Say why in the letter.",
                )
            )
        once.first_time(wording)
        out.append("- " + bank.say("last_time_item", wording=wording, outcome=outcome))
    return out


def _lower(text: str) -> str:
    first = text.split(" ", 1)[0]
    if len(first) > 1 and not first[1:].islower():
        return text
    return text[:1].lower() + text[1:]


def _language_note(facts: LetterFacts, bank: PhraseBank, notes: list[DraftNote]) -> list[str]:
    language = facts.other_language
    if not (language or facts.interpreter):
        return []
    said = []
    if language:
        said.append(bank.say("language_note", language=language))
    if facts.interpreter:
        said.append(bank.say("interpreter_note"))
    needs = " and an interpreter is recorded as needed" if facts.interpreter else ""
    notes.append(
        DraftNote(
            "language",
            f"{facts.name_to_use}'s first language is recorded as "
            f"{language or 'not English'}{needs}. The letter says so at the top: arrange for "
            "it to be read to them or translated, and note that you did.",
        )
    )
    return [" ".join(said)]


def flags_in(text: str, facts: LetterFacts) -> tuple[Flag, ...]:
    """The sentences of a letter's text that still talk about the child in the third person."""
    return third_person_flags(text, facts.names)


def flag_notes(flags: tuple[Flag, ...]) -> tuple[DraftNote, ...]:
    return tuple(DraftNote("third_person", f"Write this to the child. {f.message}") for f in flags)


def draft_letter(facts: LetterFacts, phrase_bank: PhraseBank) -> LetterDraft:
    """A first draft of the letter in the phrase bank's words, with notes for the IRO.

    The bank's band decides the tone and how much of the record the letter carries; it is
    usually the child's own band, but the IRO may choose a simpler one for a child who reads
    at a younger age. Notes from the record are written to the child where they can be; each
    sentence that still talks about the child comes back as a 'third_person' note to fix.
    """
    bank = phrase_bank
    name = facts.name_to_use
    names = facts.names
    notes: list[DraftNote] = []
    if facts.name_note:
        notes.append(DraftNote("preferred_name_missing", facts.name_note))

    # The opening: the language the child may need first, so it is seen first.
    intro: list[str] = _language_note(facts, bank, notes)
    if len(facts.meeting_dates) == 1:
        intro.append(bank.say("review_single", date=format_date(facts.held_on)))
    else:
        count = len(facts.meeting_dates)
        intro.append(
            bank.say(
                "review_series",
                count=_NUMBER_WORDS[count] if count < len(_NUMBER_WORDS) else str(count),
                dates=_join_words([format_date(d) for d in facts.meeting_dates], "and"),
            )
        )
    opening = [bank.say("thanks_came") if facts.child_came else bank.say("missed_you")]
    # Chairing is thanked only when the child came: a wish to chair is not what happened.
    chaired = facts.child_chaired if facts.child_came else Chairing.NO
    if chaired is Chairing.CHAIRED:
        opening.append(bank.say("chaired"))
    elif chaired is Chairing.CO_CHAIRED:
        opening.append(bank.say("co_chaired"))
    opening.append(bank.say("purpose"))
    intro.append(" ".join(p for p in opening if p))
    sections = [LetterSection("", tuple(p for p in intro if p))]

    # Who came, and who shared their views.
    who: list[str] = []
    if facts.came:
        who.append(bank.say("lead_came"))
        who.extend("- " + _capitalise(_describe(p, bank)) for p in facts.came)
    if facts.shared_views:
        who.append(bank.say("lead_shared_views"))
        who.extend("- " + _capitalise(_describe(p, bank)) for p in facts.shared_views)
    sections.append(_section(bank, "who_came", who))
    sections.append(
        LetterSection(bank.say("heading_told_me"), _nonempty(*_told_me(facts, bank, notes)))
    )

    band = bank.band
    once = _Once()
    for key, items, what in (
        ("going_well", facts.going_well, "what is going well"),
        ("worries", facts.worries, "worries"),
    ):
        said = _capped(_for_child(items, names, once), band, what, notes)
        sections.append(_section(bank, key, ["- " + i for i in said]))
    sections.append(
        LetterSection(
            bank.say("heading_last_time"), _nonempty(*_last_time(facts, bank, once, notes))
        )
    )

    # What we decided: each recommendation once, as who will do what by when.
    people = {p.name.strip().lower(): p for p in (*facts.came, *facts.shared_views)}
    child_names = {n.lower() for n in names.names}
    steps: list[str] = []
    wordings: list[str] = []
    for rec in facts.recommendations:
        owner_key = rec.owner.strip().lower()
        if owner_key in child_names:
            owner = bank.say("owner_child")
        elif owner_key in people:
            owner = _describe(people[owner_key], bank)
        elif owner_key in _ROLE_NAMES and bank.roles[_ROLE_NAMES[owner_key]]:
            owner = bank.roles[_ROLE_NAMES[owner_key]]  # 'Carer' -> 'your carer'
        else:
            owner = rec.owner.strip()
        wording = (rec.child_wording or "").strip()
        if wording and _names_owner(wording, owner, rec.owner, bank):
            # 'Your carer will book the dentist.' already says who: only when is added.
            line = bank.say(
                "recommendation_when", wording=_sentence(wording), due=format_date(rec.due)
            )
        elif wording:
            line = bank.say(
                "recommendation",
                wording=_sentence(wording),
                owner=owner,
                Owner=_capitalise(owner),
                due=format_date(rec.due),
            )
        else:
            # Who will do what by when, in one sentence, from the professional wording.
            decided = simplify(as_decision(rec.action, names)).rstrip(".")
            action = decided.split(" will ", 1)[1] if " will " in decided else _lower(decided)
            wording = action
            line = bank.say(
                "recommendation_action",
                Owner=_capitalise(owner),
                action=action,
                due=format_date(rec.due),
            )
            notes.append(
                DraftNote(
                    "child_wording_missing",
                    f"The recommendation '{rec.action}' has no words for the child, so the "
                    f"letter says: {line} Please check it reads well.",
                )
            )
        if not once.first_time(wording):
            continue
        wordings.append(wording)
        steps.append("- " + _capitalise(line))
    if steps:
        steps.insert(0, bank.say("lead_next_steps"))
    # What needs to happen, when it is not one of the recommendations already.
    also = [
        d
        for d in _for_child(facts.decisions, names, once, decided=True)
        if not any(_overlaps(d, w) for w in wordings)
    ]
    also = _capped(also, band, "what needs to happen", notes, limit=ITEMS_FOR_BAND[band] // 2)
    if also:
        steps.extend([bank.say("lead_also_agreed")] if steps else [])
        steps.extend("- " + d for d in also)
    steps = steps or [bank.say("empty_next_steps")]  # nothing decided: nobody has to act
    sections.append(_section(bank, "decided", steps))

    next_review = (
        bank.say("next_review", date=format_date(facts.next_review))
        if facts.next_review
        else bank.say("next_review_unknown")
    )
    sections.append(
        LetterSection(
            bank.say("heading_next_review"),
            _nonempty(next_review, bank.say("before_next_review", iro=facts.iro.name)),
        )
    )

    iro = facts.iro
    contact = [
        bank.say(
            "iro_contact", iro=iro.name, details=_contact_details(bank, iro.phone, iro.email, "")
        ),
        bank.say(
            "advocate",
            service=facts.advocacy.name,
            details=_contact_details(
                bank, facts.advocacy.phone, facts.advocacy.email, facts.advocacy.website
            ),
        ),
        bank.say(
            "complaints",
            service=facts.complaints.name,
            details=_contact_details(
                bank, facts.complaints.phone, facts.complaints.email, facts.complaints.website
            ),
        ),
        bank.say("closing", name=name),
    ]
    sections.append(LetterSection(bank.say("heading_get_in_touch"), _nonempty(*contact)))

    sign_off = _nonempty(bank.say("sign_off"), iro.name, bank.say("signature_role"))
    draft = LetterDraft(
        title=bank.say("title", name=name),
        salutation=bank.say("salutation", name=name),
        sections=tuple(sections),
        sign_off=sign_off,
    )
    notes.extend(flag_notes(flags_in(letter_to_text(draft), facts)))
    return LetterDraft(draft.title, draft.salutation, draft.sections, draft.sign_off, tuple(notes))


def _nonempty(*paragraphs: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in paragraphs if p.strip())


def _section(bank: PhraseBank, key: str, paragraphs: list[str]) -> LetterSection:
    if not paragraphs:
        paragraphs = [bank.say(f"empty_{key}")]
    return LetterSection(bank.say(f"heading_{key}"), _nonempty(*paragraphs))
