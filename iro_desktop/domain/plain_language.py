"""Plain-language help for letters to children: readability, long sentences, jargon, passives.

Children told Manchester that review minutes were hard to read, so the letter editor shows
advice as the IRO types. Everything here is computed locally (no network) and is advice only:
nothing in this module ever stops a letter being saved or issued.

The readability score is Flesch reading ease (higher is easier):
    206.835 - 1.015 * (words / sentences) - 84.6 * (syllables / words)
Only words made of letters are counted; numbers, e-mail and web addresses are left out so that
dates and contact details do not move the score. Every line break ends a sentence, because the
letter's text format puts each paragraph, heading and list item on its own line.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum


class AgeBand(Enum):
    """Who will read the letter; decides tone, length and the readability target."""

    UNDER_8 = "under_8"
    AGE_8_TO_12 = "8_to_12"
    AGE_13_TO_17 = "13_to_17"
    CARE_LEAVER = "care_leaver"

    @property
    def label(self) -> str:
        return _BAND_LABELS[self]


_BAND_LABELS = {
    AgeBand.UNDER_8: "under 8",
    AgeBand.AGE_8_TO_12: "8 to 12",
    AgeBand.AGE_13_TO_17: "13 to 17",
    AgeBand.CARE_LEAVER: "care leaver",
}

# Flesch reading ease a letter should reach: 80+ is "easy" (about age 11), 60-70 is "plain
# English" (about age 13-15). Younger children get simpler text; care leavers are adults.
READING_EASE_TARGETS: dict[AgeBand, float] = {
    AgeBand.UNDER_8: 80.0,
    AgeBand.AGE_8_TO_12: 70.0,
    AgeBand.AGE_13_TO_17: 60.0,
    AgeBand.CARE_LEAVER: 55.0,
}

# A sentence with more words than this is flagged as long.
LONG_SENTENCE_WORDS: dict[AgeBand, int] = {
    AgeBand.UNDER_8: 12,
    AgeBand.AGE_8_TO_12: 16,
    AgeBand.AGE_13_TO_17: 20,
    AgeBand.CARE_LEAVER: 25,
}


class AdviceKind(Enum):
    READABILITY = "readability"
    LONG_SENTENCE = "long_sentence"
    JARGON = "jargon"
    PASSIVE = "passive"


@dataclass(frozen=True)
class Advice:
    """One piece of advice about a span of the text (start inclusive, end exclusive)."""

    kind: AdviceKind
    message: str
    start: int
    end: int
    suggestion: str | None = None


@dataclass(frozen=True)
class PlainLanguageReport:
    age_band: AgeBand
    words: int
    sentences: int
    syllables: int
    reading_ease: float | None  # None when the text has no words to score
    target: float
    advice: tuple[Advice, ...]

    @property
    def meets_target(self) -> bool:
        return self.reading_ease is None or self.reading_ease >= self.target

    def of_kind(self, kind: AdviceKind) -> tuple[Advice, ...]:
        return tuple(a for a in self.advice if a.kind is kind)


# ---------------------------------------------------------------------------------------------
# Syllables

# Words the rules below get wrong that are common in letters to children.
_SYLLABLE_EXCEPTIONS: dict[str, int] = {
    "people": 2,
    "every": 2,
    "everyone": 3,
    "everything": 3,
    "business": 2,
    "area": 3,
    "idea": 3,
    "ideas": 3,
    "create": 2,
    "created": 3,
    "quiet": 2,
    "science": 2,
    "poem": 2,
    "being": 2,
    "lion": 2,
    "fire": 1,
    "hour": 1,
    "our": 1,
    "naive": 2,
    "coordinator": 5,
    "cooperate": 4,
    "reassure": 3,
    "reassured": 3,
    "reunion": 3,
    "something": 2,
    "sometimes": 2,
    "someone": 2,
    "somewhere": 2,
    "whatever": 3,
    "wednesday": 2,
    "february": 4,
    "different": 3,
    "interesting": 3,
    "favourite": 3,
    "favorite": 3,
    "family": 3,
    "families": 3,
    "police": 2,
    "video": 3,
    "videos": 3,
    "radio": 3,
    "social": 2,
    "special": 2,
    "really": 2,
    "real": 1,
    "tried": 1,
    "friend": 1,
    "friends": 1,
    "lived": 1,
    "loved": 1,
    "moved": 1,
    "liked": 1,
    "named": 1,
    "scared": 1,
    "cared": 1,
    "shared": 1,
    "smiled": 1,
    "maybe": 2,
    "anyone": 3,
    "anything": 3,
    "advocate": 3,
    "advocacy": 4,
    "independent": 4,
}

_VOWEL_GROUP = re.compile(r"[aeiouy]+")
# Vowel pairs that are usually two syllables ("evaluate", "serious", "video").
_SPLIT_PAIRS = re.compile(r"(?<![cstgx])i[ao]|(?<![qg])ua|eo")
_SIBILANT_E = re.compile(r"(?:[sxzc]|ch|sh|g)e$")


def count_syllables(word: str) -> int:
    """Syllables in one English word, by rule: close to a dictionary for everyday words."""
    ascii_word = unicodedata.normalize("NFKD", word.lower()).encode("ascii", "ignore").decode()
    w = re.sub(r"['’]s$", "", ascii_word)
    w = re.sub(r"[^a-z]", "", w)
    if not w:
        # A word in another script (a name in Arabic, say): count it as one syllable.
        return 1 if any(ch.isalpha() for ch in word) else 0
    if w in _SYLLABLE_EXCEPTIONS:
        return _SYLLABLE_EXCEPTIONS[w]
    if len(w) <= 3:
        return 1
    extra = 0
    if w.endswith("s") and not w.endswith("ss") and len(w) > 3:
        w = w[:-1]
        if w.endswith("e") and _SIBILANT_E.search(w):
            extra += 1  # "places", "changes", "boxes": the -es is heard
    if re.search(r"[^aeiouytd]ed$", w):
        w = w[:-2]  # "asked", "planned": the -ed is silent
    elif re.search(r"[aeiouy]ing$", w):
        extra += 1  # "going", "saying": the vowel before -ing is its own syllable
    if w.endswith("e") and not re.search(r"[^aeiouy]le$", w) and not w.endswith("ee"):
        w = w[:-1]  # silent final e, but "table" and "little" keep theirs
    w = re.sub(r"(?<=[^aeiouy])e(?=(?:ly|ful|ment|ness|less)$)", "", w)  # "safely", "careful"
    w = re.sub(r"^y", "", w)  # "you", "your": the y is a consonant
    count = len(_VOWEL_GROUP.findall(w)) + len(_SPLIT_PAIRS.findall(w)) + extra
    return max(1, count)


# ---------------------------------------------------------------------------------------------
# Words and sentences

_MASK = re.compile(r"\S+@\S+|https?://\S+|www\.\S+")
_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
_ABBREVIATIONS = ("mr.", "mrs.", "ms.", "dr.", "st.", "e.g.", "i.e.", "no.")


@dataclass(frozen=True)
class _Sentence:
    start: int
    end: int
    words: tuple[tuple[int, int], ...]  # spans of the words in it


def _masked(text: str) -> str:
    """The text with e-mail and web addresses blanked out, keeping every offset."""
    return _MASK.sub(lambda m: " " * len(m.group(0)), text)


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == "\n":
            spans.append((start, i))
            start = i + 1
        elif ch in ".!?":
            j = i + 1
            while j < n and text[j] in ".!?\"'’”)":
                j += 1
            at_break = j >= n or text[j].isspace()
            before = text[start:j].lower().split()
            if at_break and not (ch == "." and before and before[-1].endswith(_ABBREVIATIONS)):
                spans.append((start, j))
                start = j
                i = j
                continue
        i += 1
    spans.append((start, n))
    result = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            result.append((s, e))
    return result


def _sentences(text: str) -> list[_Sentence]:
    masked = _masked(text)
    sentences = []
    for s, e in _sentence_spans(masked):
        words = tuple((m.start(), m.end()) for m in _WORD.finditer(masked, s, e))
        if words:
            sentences.append(_Sentence(s, e, words))
    return sentences


def reading_ease(text: str) -> float | None:
    """Flesch reading ease of the text, or None when it has no words."""
    sentences = _sentences(text)
    words = [text[s:e] for sent in sentences for s, e in sent.words]
    if not words:
        return None
    syllables = sum(count_syllables(w) for w in words)
    return _flesch(len(words), len(sentences), syllables)


def _flesch(words: int, sentences: int, syllables: int) -> float:
    return 206.835 - 1.015 * (words / sentences) - 84.6 * (syllables / words)


# ---------------------------------------------------------------------------------------------
# Jargon


@dataclass(frozen=True)
class JargonTerm:
    """A word or phrase children find hard, what to say instead, and a direct swap if any."""

    name: str
    pattern: re.Pattern[str]
    suggestion: str
    replacement: str | None = None  # used when drafting a child's wording from an action


def _term(
    name: str,
    pattern: str,
    suggestion: str,
    replacement: str | None = None,
    *,
    case_sensitive: bool = False,
) -> JargonTerm:
    flags = 0 if case_sensitive else re.IGNORECASE
    return JargonTerm(name, re.compile(pattern, flags), suggestion, replacement)


_CONTACT_KINDS = (
    r"(?:family|direct|indirect|supervised|unsupervised|sibling|letterbox|face[- ]to[- ]face)"
)

JARGON: tuple[JargonTerm, ...] = (
    _term(
        "LAC",
        r"\b(?:LAC|CLA|CiC)\b(?:\s+review)?",
        "Say 'children in care', or 'your review'; better still, leave it out.",
        "children in care",
        case_sensitive=True,
    ),
    _term(
        "looked after",
        r"\blooked[- ]after(?=\s+(?:child|children|young|status|review|person))",
        "Say 'in care', or leave it out.",
        "in care",
    ),
    _term(
        "placement",
        r"\bplacements?\b",
        "Say 'where you live' or 'your home'.",
        "home",
    ),
    _term(
        "contact",
        rf"\b{_CONTACT_KINDS}\s+contact\b|\bcontact(?=\s+(?:with|arrangements?|sessions?|centre|visits?|plan)\b)",
        "Say 'family time' (for example 'family time with your mum').",
        "family time",
    ),
    _term("care plan", r"\bcare\s+plans?\b", "Say 'your plan'.", "plan"),
    _term(
        "statutory",
        r"\bstatutory\b",
        "Leave it out, or say 'the law says we must'.",
        "",
    ),
    _term(
        "PEP",
        r"\bPEPs?\b|\b(?i:personal education plans?)\b",
        "Say 'your school plan'.",
        "school plan",
        case_sensitive=True,
    ),
    _term(
        "EHCP",
        r"\bEHCPs?\b|\beducation,? health and care plans?\b",
        "Say 'your plan for extra help at school'.",
        "plan for extra help at school",
    ),
    _term("respite", r"\brespite\b", "Say 'short breaks'.", "short breaks"),
    _term(
        "LADO",
        r"\bLADO\b",
        "Explain it: 'the person who checks what happens when an adult who works with "
        "children may have done something wrong'.",
        case_sensitive=True,
    ),
    _term(
        "presenting behaviours",
        r"\bpresenting\s+behaviou?rs?\b",
        "Say what actually happened, in plain words.",
    ),
    _term(
        "escalate",
        r"\bescalat(?:e|ed|es|ing|ion|ions)\b",
        "Say 'raise it with a manager' or 'ask a manager to help sort it out'.",
    ),
    _term(
        "SGO",
        r"\bSGOs?\b",
        "Explain it: 'a special guardianship order, a court order that lets someone look "
        "after you until you are 18'.",
        "special guardianship order",
        case_sensitive=True,
    ),
    _term(
        "SDQ",
        r"\bSDQs?\b",
        "Say 'a questionnaire about how you are feeling'.",
        "questionnaire about how you are feeling",
        case_sensitive=True,
    ),
    _term(
        "CAFCASS",
        r"\bCAFCASS\b",
        "Explain it: 'a service that helps children when a family court is involved'.",
    ),
    _term(
        "section 20",
        r"\b(?:section|s\.?)\s?20\b",
        "Say 'you live away from home with your parents' agreement'.",
    ),
    _term(
        "permanence",
        r"\bpermanen(?:ce|cy)\b",
        "Say 'where you will grow up'.",
        "where you will grow up",
    ),
    _term(
        "health assessment",
        r"\b(?:IHA|RHA|(?:initial |review )?health assessments?)\b",
        "Say 'health check'.",
        "health check",
    ),
    _term(
        "multi-agency",
        r"\bmulti[- ]agency\b",
        "Say 'people from different services'.",
        "",
    ),
    _term("facilitate", r"\bfacilitat(?:e|ed|es|ing)\b", "Say 'help' or 'arrange'."),
    _term("prior to", r"\bprior to\b", "Say 'before'.", "before"),
    _term("commence", r"\bcommenc(?:e|ed|es|ing)\b", "Say 'start'."),
    _term("in terms of", r"\bin terms of\b", "Leave it out or say 'about'.", "about"),
    _term("disclose", r"\bdisclos(?:e|ed|es|ing|ure)\b", "Say 'told' or 'tell'."),
)

_IRO = re.compile(r"\bIROs?\b")
_IRO_EXPLAINED = re.compile(r"independent reviewing officer", re.IGNORECASE)


def _jargon_advice(text: str) -> list[Advice]:
    found: list[Advice] = []
    for term in JARGON:
        for m in term.pattern.finditer(text):
            found.append(
                Advice(
                    AdviceKind.JARGON,
                    f"'{m.group(0)}' is jargon a child may not understand.",
                    m.start(),
                    m.end(),
                    term.suggestion,
                )
            )
    if not _IRO_EXPLAINED.search(text):
        for m in _IRO.finditer(text):
            found.append(
                Advice(
                    AdviceKind.JARGON,
                    f"'{m.group(0)}' is not explained anywhere in the letter.",
                    m.start(),
                    m.end(),
                    "Say 'Independent Reviewing Officer (IRO)' once and what that means: the "
                    "person who checks that your plan is right for you.",
                )
            )
    return found


def simplify(text: str) -> str:
    """The text with each jargon term that has a plain swap replaced by it.

    Used to draft a child's wording from a professional action when the IRO has not written
    one; the result is always flagged for the IRO to read, since a swap can be clumsy.
    """
    result = text
    for term in JARGON:
        if term.replacement is None:
            continue
        result = term.pattern.sub(_swap(term.replacement), result)
    return re.sub(r"\s{2,}", " ", result).strip()


def _swap(replacement: str) -> Callable[[re.Match[str]], str]:
    return lambda m: _keep_case(m.group(0), replacement)


def _keep_case(original: str, replacement: str) -> str:
    if replacement and original[:1].isupper() and not original.isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement


# ---------------------------------------------------------------------------------------------
# Passive voice

_BE = r"(?:am|is|are|was|were|be|been|being|get|gets|got|getting)"
_IRREGULAR_PARTICIPLES = [
    "given",
    "taken",
    "made",
    "done",
    "seen",
    "told",
    "held",
    "written",
    "sent",
    "shown",
    "known",
    "found",
    "brought",
    "kept",
    "paid",
    "chosen",
    "spoken",
    "heard",
    "met",
    "understood",
    "forgotten",
    "begun",
    "broken",
    "driven",
    "eaten",
    "fallen",
    "hidden",
    "stolen",
    "built",
    "bought",
    "caught",
    "taught",
    "sold",
    "lost",
    "left",
    "put",
]
# Words ending -ed that describe a feeling or state more often than an action done to someone.
_ADJECTIVES = frozenset(
    [
        "worried",
        "pleased",
        "excited",
        "interested",
        "tired",
        "scared",
        "bored",
        "married",
        "concerned",
        "surprised",
        "relaxed",
        "settled",
        "ashamed",
        "embarrassed",
        "confused",
        "amazed",
        "delighted",
        "frightened",
        "involved",
        "supposed",
        "used",
        "based",
        "aged",
        "fed",
        "bed",
        "red",
        "need",
        "shed",
        "proud",
        "advanced",
    ]
)
_PASSIVE = re.compile(
    rf"\b{_BE}\s+(?:(?:not|also|already|now|just|really|\w+ly)\s+)?"
    rf"(?P<verb>\w+ed|{'|'.join(_IRREGULAR_PARTICIPLES)})\b",
    re.IGNORECASE,
)


def _passive_advice(text: str) -> list[Advice]:
    found = []
    for m in _PASSIVE.finditer(text):
        if m.group("verb").lower() in _ADJECTIVES:
            continue
        found.append(
            Advice(
                AdviceKind.PASSIVE,
                f"'{m.group(0)}' may be passive: it can hide who does what.",
                m.start(),
                m.end(),
                "Say who does it: 'Sam will ...' rather than '... will be done'.",
            )
        )
    return found


# ---------------------------------------------------------------------------------------------
# The report


def check_text(text: str, age_band: AgeBand) -> PlainLanguageReport:
    """Readability and advice for the text, judged for a reader in the age band."""
    sentences = _sentences(text)
    word_count = sum(len(s.words) for s in sentences)
    syllables = sum(count_syllables(text[ws:we]) for s in sentences for ws, we in s.words)
    target = READING_EASE_TARGETS[age_band]
    score = _flesch(word_count, len(sentences), syllables) if word_count else None
    advice: list[Advice] = []
    if score is not None and score < target:
        advice.append(
            Advice(
                AdviceKind.READABILITY,
                f"Reading ease is {score:.0f}; for a reader aged {age_band.label} aim for "
                f"{target:.0f} or more.",
                0,
                len(text),
                "Use shorter sentences and shorter, everyday words.",
            )
        )
    limit = LONG_SENTENCE_WORDS[age_band]
    for s in sentences:
        if len(s.words) > limit:
            advice.append(
                Advice(
                    AdviceKind.LONG_SENTENCE,
                    f"This sentence has {len(s.words)} words; for a reader aged "
                    f"{age_band.label} keep sentences to {limit} words or fewer.",
                    s.start,
                    s.end,
                    "Split it into two sentences.",
                )
            )
    advice.extend(_jargon_advice(text))
    advice.extend(_passive_advice(text))
    advice.sort(key=lambda a: (a.start, a.end, a.kind.value))
    return PlainLanguageReport(
        age_band=age_band,
        words=word_count,
        sentences=len(sentences),
        syllables=syllables,
        reading_ease=score,
        target=target,
        advice=tuple(advice),
    )
