"""The letter to the child: the facts it is written from, the draft, and its editable text.

Minutes of a review are written as a letter to the child (domain brief 4.4): warm, plain,
jargon-free, saying who came, what is going well, what people are worried about, what was
decided, who will do what next, and how to reach the IRO, an advocate or make a complaint.

`draft_letter` writes a first draft from the facts with the wording of an editable phrase bank
(one per age band, see resources/phrases/). The IRO then edits it freely; what is stored and
versioned is the plain text from `letter_to_text`, which `letter_from_text` reads back.
"""

from __future__ import annotations

import re
import string
import tomllib
from dataclasses import dataclass, field
from datetime import date

from iro_desktop.domain.calendar import check_in_range
from iro_desktop.domain.codes import PERSON_ROLES
from iro_desktop.domain.plain_language import AgeBand, simplify
from iro_desktop.domain.record import Chairing

__all__ = [
    "AgeBand",
    "Chairing",
    "DraftNote",
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
        return self.phrases[key].format_map(values)


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
    missing = [k for k in PHRASES if k not in phrases]
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
    blank = [k for k in _MUST_HAVE_WORDS if not phrases[k].strip()]
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


_ROLE_PREFIX = re.compile(
    r"^(?:the\s+)?(?:allocated\s+)?(?:social worker|sw|iro|carers?|foster carers?|school|"
    r"designated teacher|personal adviser|pa|team manager|health|virtual school)\s+to\s+",
    re.IGNORECASE,
)


def _simplified_wording(action: str) -> str:
    """A first go at the child's words for an action: jargon swapped, role prefix dropped."""
    text = _ROLE_PREFIX.sub("", action.strip())
    text = re.sub(r"^to\s+", "", text, flags=re.IGNORECASE)
    return _sentence(_capitalise(simplify(text)))


def _contact_details(bank: PhraseBank, phone: str, email: str, website: str) -> str:
    parts = []
    if phone.strip():
        parts.append(bank.say("details_phone", phone=phone.strip()))
    if email.strip():
        parts.append(bank.say("details_email", email=email.strip()))
    if website.strip():
        parts.append(bank.say("details_website", website=website.strip()))
    return _join_words(parts, bank.say("word_or"))


def draft_letter(facts: LetterFacts, phrase_bank: PhraseBank) -> LetterDraft:
    """A first draft of the letter in the phrase bank's words, with notes for the IRO.

    The bank's band decides the tone; it is usually the child's own band, but the IRO may
    choose a simpler one for a child who reads at a younger age.
    """
    bank = phrase_bank
    name = facts.name_to_use
    notes: list[DraftNote] = []
    if facts.name_note:
        notes.append(DraftNote("preferred_name_missing", facts.name_note))

    # The opening.
    intro: list[str] = []
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
    if facts.child_chaired is Chairing.CHAIRED:
        opening.append(bank.say("chaired"))
    elif facts.child_chaired is Chairing.CO_CHAIRED:
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

    for key, items in (
        ("going_well", facts.going_well),
        ("worries", facts.worries),
        ("decided", facts.decisions),
    ):
        sections.append(_section(bank, key, ["- " + _sentence(_capitalise(i)) for i in items]))

    # What happens next: the recommendations in the child's words.
    people = {p.name.strip().lower(): p for p in (*facts.came, *facts.shared_views)}
    child_names = {
        name.lower(),
        facts.legal_name.strip().lower(),
        facts.legal_name.split()[0].lower(),
    }
    steps: list[str] = []
    for rec in facts.recommendations:
        wording = (rec.child_wording or "").strip()
        if not wording:
            wording = _simplified_wording(rec.action)
            notes.append(
                DraftNote(
                    "child_wording_missing",
                    f"The recommendation '{rec.action}' has no words for the child, so the "
                    f"letter says: {wording} Please check it reads well.",
                )
            )
        owner_key = rec.owner.strip().lower()
        if owner_key in child_names:
            owner = bank.say("owner_child")
        elif owner_key in people:
            owner = _describe(people[owner_key], bank)
        else:
            owner = rec.owner.strip()
        steps.append(
            "- "
            + _capitalise(
                bank.say(
                    "recommendation",
                    wording=_sentence(wording),
                    owner=owner,
                    Owner=_capitalise(owner),
                    due=format_date(rec.due),
                )
            )
        )
    if steps:
        steps.insert(0, bank.say("lead_next_steps"))
    sections.append(_section(bank, "next_steps", steps))

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
    return LetterDraft(
        title=bank.say("title", name=name),
        salutation=bank.say("salutation", name=name),
        sections=tuple(sections),
        sign_off=sign_off,
        notes=tuple(notes),
    )


def _nonempty(*paragraphs: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in paragraphs if p.strip())


def _section(bank: PhraseBank, key: str, paragraphs: list[str]) -> LetterSection:
    if not paragraphs:
        paragraphs = [bank.say(f"empty_{key}")]
    return LetterSection(bank.say(f"heading_{key}"), _nonempty(*paragraphs))
