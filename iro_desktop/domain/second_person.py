"""Writing to the child, not about them: notes turned into second person, and the sentences
that still talk about the child in the third person found so the IRO can fix them.

Case notes are written about a child ("Sees their brother every fortnight", "The plan does not
yet say where the child will grow up"); the letter is written to them ("You see your brother
every fortnight"). `to_second_person` rewrites one note where a few plain rules can; it never
guesses at more. `third_person_flags` reads a whole letter as the child would and points at
every sentence that still names them in the third person, calls them "the child", or uses
"he", "she" or "their" with nobody else in the sentence it could mean. The letter's own
quotes of the child's words are left alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "ChildNames",
    "Flag",
    "as_decision",
    "is_no_action",
    "third_person_flags",
    "to_second_person",
]


@dataclass(frozen=True)
class ChildNames:
    """How the letter's reader is named in the record, and their recorded sex (M, F or '')."""

    names: tuple[str, ...]
    sex: str = ""

    @classmethod
    def of(cls, *names: str, sex: str = "") -> ChildNames:
        found: list[str] = []
        for name in names:
            words = " ".join(name.split())
            if words and words.lower() not in (n.lower() for n in found):
                found.append(words)
        # Longest first, so "Amira Quillfeather" is matched before "Amira".
        return cls(tuple(sorted(found, key=len, reverse=True)), sex.strip().upper()[:1])


@dataclass(frozen=True)
class Flag:
    """A sentence of the letter that still talks about the child in the third person."""

    start: int
    end: int
    sentence: str
    reason: str

    @property
    def message(self) -> str:
        return f"{self.reason}: “{self.sentence}”"


# --- words ----------------------------------------------------------------------------------

# Verbs case notes start with when the child is the unwritten subject ("Sees ...", "Has ...").
_VERBS = frozenset(
    [
        "agree",
        "appear",
        "arrange",
        "ask",
        "attend",
        "babble",
        "behave",
        "call",
        "chat",
        "communicate",
        "continue",
        "cook",
        "cry",
        "describe",
        "draw",
        "eat",
        "engage",
        "enjoy",
        "feel",
        "find",
        "get",
        "go",
        "hate",
        "help",
        "hope",
        "join",
        "keep",
        "know",
        "laugh",
        "learn",
        "like",
        "live",
        "love",
        "make",
        "manage",
        "meet",
        "miss",
        "need",
        "play",
        "prefer",
        "read",
        "receive",
        "refuse",
        "remain",
        "respond",
        "return",
        "ride",
        "run",
        "say",
        "see",
        "seem",
        "share",
        "show",
        "sing",
        "sleep",
        "smile",
        "speak",
        "spend",
        "stay",
        "struggle",
        "study",
        "swim",
        "take",
        "talk",
        "tell",
        "text",
        "think",
        "try",
        "understand",
        "use",
        "visit",
        "wake",
        "walk",
        "want",
        "wet",
        "wish",
        "work",
        "worry",
        "write",
    ]
)
_IRREGULAR_3SG = {"has": "have", "is": "are", "does": "do", "goes": "go", "was": "were"}
_PAST_STARTS = frozenset(
    [
        "missed",
        "started",
        "met",
        "told",
        "said",
        "went",
        "had",
        "attended",
        "enjoyed",
        "did",
        "made",
        "took",
        "got",
        "chose",
        "asked",
        "stopped",
        "joined",
        "moved",
        "visited",
        "passed",
        "finished",
        "completed",
        "left",
        "came",
        "saw",
        "wrote",
        "drew",
        "spoke",
        "talked",
        "shared",
        "returned",
        "ran",
        "tried",
        "stayed",
        "received",
        "began",
        "gained",
        "lost",
        "won",
        "scored",
    ]
)
# Words a fragment about the child starts with that take "You are" ("Settled at nursery").
_STATE_STARTS = frozenset(
    [
        "settled",
        "unsettled",
        "happy",
        "sad",
        "proud",
        "upset",
        "registered",
        "worried",
        "anxious",
        "calm",
        "safe",
        "healthy",
        "well",
        "at",
        "on",
        "in",
        "not",
        "still",
        "keen",
        "able",
        "unable",
        "confident",
        "quiet",
        "shy",
        "angry",
        "nervous",
        "excited",
        "scared",
        "frightened",
        "bullied",
        "tired",
        "ready",
        "aware",
        "close",
        "behind",
        "ahead",
        "doing",
        "making",
        "getting",
        "managing",
        "feeling",
        "waiting",
        "interested",
        "engaged",
        "excluded",
        "pleased",
        "fit",
    ]
)
_MODALS = frozenset(["would", "can", "could", "will", "should", "may", "might", "must"])
_RELATIONSHIP = re.compile(
    r"^(?:an?\s+)?(?:(?:very|really)\s+)?(?:good|close|strong|positive|warm|loving|great|"
    r"lovely|secure)\s+(?:relationship|bond|friendship|attachment)s?\b",
    re.IGNORECASE,
)
# Things of the child's a note may start with ("Speech is a little behind").
_OWNED = frozenset(
    [
        "immunisations",
        "health",
        "speech",
        "reading",
        "maths",
        "attendance",
        "behaviour",
        "weight",
        "sleep",
        "pep",
        "sdq",
        "strengths",
        "school",
        "nursery",
        "college",
        "pathway",
        "life",
        "bedroom",
        "appetite",
        "hearing",
        "eyesight",
        "teeth",
        "mood",
        "confidence",
        "dental",
        "education",
        "room",
        "diet",
        "progress",
    ]
)
# People the child knows, named by role ("Mum missed two sessions", "the carer").
_PEOPLE = (
    "mum|dad|mother|father|nan|nana|nanny|grandma|grandad|grandpa|granny|grandparents|"
    "brother|brothers|sister|sisters|siblings|aunt|auntie|uncle|cousin|cousins|"
    "carer|carers|foster carers?|social worker|supervising social worker|teacher|"
    "designated teacher|nurse|health visitor|personal adviser|pa|advocate|independent visitor|"
    "key worker|keyworker|youth worker|youth justice worker|doctor|gp|tutor|college tutor|"
    "mentor|team manager|virtual school|school|nursery|college"
)
_FAMILY_WORDS = frozenset(
    ["mum", "dad", "nan", "nana", "nanny", "grandma", "grandad", "grandpa", "granny"]
)
_THE_PERSON = re.compile(rf"\bthe\s+({_PEOPLE})\b", re.IGNORECASE)
_BARE_FAMILY = re.compile(
    r"(?<![\w’'])(?<!your )(?<!his )(?<!her )(?<!their )(?<!my )(?<!a )(?<!the )"
    r"(mum|dad|nan|grandma|grandad)\b",
    re.IGNORECASE,
)
_OWNER_TO = re.compile(
    rf"^(?:the\s+)?((?:{_PEOPLE}|iro|sw|you|young person|child)"
    rf"(?:\s*(?:,|and|&)\s*(?:the\s+)?(?:{_PEOPLE}|iro|sw|young person|child))*)\s+to\s+(\w.*)$",
    re.IGNORECASE,
)
_NO_ACTION = re.compile(
    r"^(?:no (?:further |new )?action(?:s)?(?: needed| required)?|none|n/?a|nil|"
    r"keep things as they are|keep (?:it|things|family time) as (?:it is|they are)|"
    r"nothing (?:new )?(?:needed|to do))\.?$",
    re.IGNORECASE,
)
_CHILD_WORDS = re.compile(r"\b(?:the\s+)?(?:child|young person|yp)(’s|'s)?\b", re.IGNORECASE)


def _third_to_base(word: str) -> str | None:
    """'sees' -> 'see', 'has' -> 'have'; None when it is not a known verb in that form."""
    low = word.lower()
    if low in _IRREGULAR_3SG:
        return _IRREGULAR_3SG[low]
    if not low.endswith("s") or low.endswith("ss"):
        return None
    for base in (low[:-3] + "y" if low.endswith("ies") else None, low[:-2], low[:-1]):
        if base and base in _VERBS and low != base:
            return base
    return None


def _lower_first(text: str) -> str:
    first, _, rest = text.partition(" ")
    # Keep acronyms and names ("PEP", "CAMHS", "Universal Credit") as they are.
    if len(first) > 1 and (first.isupper() or not first[1:].islower()):
        return text
    if rest[:1].isupper() and not rest.startswith("I "):
        return text
    if re.match(r"\w+ and [A-Z]", text):  # 'Strengths and Difficulties'
        return text
    return text[:1].lower() + text[1:]


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _names_pattern(names: ChildNames) -> re.Pattern[str] | None:
    if not names.names:
        return None
    alternatives = "|".join(re.escape(n) for n in names.names)
    return re.compile(rf"(?<![\w-])({alternatives})(’s|'s)?(?![\w-])")


def is_no_action(text: str) -> bool:
    """'No action needed', 'Keep things as they are': nothing for the child to read about."""
    return bool(_NO_ACTION.match(" ".join(text.split())))


# --- rewriting ------------------------------------------------------------------------------


def _replace_child(text: str, names: ChildNames) -> tuple[str, bool]:
    """Names and 'the child' -> 'you'/'your'; True when any were replaced."""
    changed = False

    def swap(possessive: str | None) -> str:
        nonlocal changed
        changed = True
        return "your" if possessive else "you"

    pattern = _names_pattern(names)
    if pattern is not None:
        text = pattern.sub(lambda m: swap(m.group(2)), text)
    text = _CHILD_WORDS.sub(lambda m: swap(m.group(1)), text)
    return text, changed


def _pronouns(text: str, names: ChildNames, *, about_child: bool) -> str:
    """he/she/they and their forms -> you/your, where the child is who they mean.

    'them' in a case note is nearly always the child; 'they' and 'their' are, unless other
    people came first; 'he' and 'she' only in a note about the child with nobody else in it.
    """
    out: list[str] = []
    words = re.split(r"(\W+)", text)
    sex = names.sex
    seen_plural_people = False
    seen_person = not about_child
    seen: list[str] = []
    for i, w in enumerate(words):
        low = w.lower()
        nxt = next((x for x in words[i + 1 :] if x.strip(" ")), "")
        if re.fullmatch(
            r"carers|parents|grandparents|siblings|brothers|sisters|friends|everyone|"
            r"people|family|cousins|staff|teachers|workers",
            low,
        ):
            seen_plural_people = True
        if low in _FAMILY_WORDS or low in ("carer", "worker", "teacher", "nurse", "adviser", "pa"):
            seen.append(low)
        new = w
        if low in _GENDERED and (seen_person or _could_be(_GENDERED[low], seen)):
            pass
        elif low in ("he", "him", "his", "himself") and sex != "F":
            new = {"he": "you", "him": "you", "his": "your", "himself": "yourself"}[low]
        elif low in ("she", "her", "hers", "herself") and sex != "M":
            if low == "her":
                new = (
                    "you"
                    if not re.match(r"^\s*[a-z]", nxt)
                    or nxt.strip().lower()
                    in ("to", "with", "at", "about", "for", "and", "or", "when", "if", "that")
                    else "your"
                )
            else:
                new = {"she": "you", "hers": "yours", "herself": "yourself"}[low]
        elif low == "them":
            new = "you"
        elif low in ("they", "their", "theirs", "themselves") and not seen_plural_people:
            new = {"they": "you", "their": "your", "theirs": "yours", "themselves": "yourself"}[low]
        if new != w:
            new = _cap(new) if w[:1].isupper() else new
        out.append(new)
    return "".join(out)


def _you_agreement(text: str) -> str:
    """'you has' -> 'you have', 'you sees' -> 'you see', also after 'and'."""

    def fix(m: re.Match[str]) -> str:
        base = _third_to_base(m.group(2))
        return f"{m.group(1)}{base}" if base else m.group(0)

    text = re.sub(r"(\b[Yy]ou (?:also |still |now |often |sometimes )?)(\w+)", fix, text)
    text = re.sub(r"(\b[Yy]ou (?:are|were|have|had) [^;,.]*? and )(\w+)", fix, text)
    return text


_PARTICIPLE_ONLY = re.compile(
    r"^(?:Your )?([A-Za-z][\w'’ -]*?) (not )?(done|written|made|agreed|started|updated|booked|"
    r"completed|delayed|arranged|sent|changed)\b"
)
_FINITE = re.compile(r"\b(?:is|are|was|were|has|have|had|will|can|do|does|did)\b")


def _add_was(m: re.Match[str]) -> str:
    """'Dental check-up done this year' -> 'Your dental check-up was done this year'."""
    noun = m.group(1)
    if _FINITE.search(noun) or noun.split(" ", 1)[0].lower() in ("you", "i", "we", "everyone"):
        return m.group(0)
    verb = "were" if noun.split(" ")[-1].lower().endswith("s") else "was"
    return f"Your {_lower_first(noun)} {verb} {m.group(2) or ''}{m.group(3)}"


def _clause(text: str, names: ChildNames) -> str:
    text = text.strip()
    if not text:
        return text
    text, named = _replace_child(text, names)
    first, _, rest = text.partition(" ")
    low = first.lower().strip(",:;")
    about_child = named
    if (
        low in ("you", "your")
        or low in _GENDERED
        and names.sex in ("", _GENDERED[low])
        or low in ("they", "their")
    ):
        about_child = True
    elif _RELATIONSHIP.match(text):
        article = "" if low in ("a", "an") else "a "
        text, about_child = "You have " + article + _lower_first(text), True
    elif low == "not" and rest.lower().startswith("needed"):
        pass
    elif _third_to_base(first) and low not in ("is", "was", "does"):
        text, about_child = f"You {_third_to_base(first)} {rest}".strip(), True
    elif low in ("is", "was"):
        text, about_child = f"You {_IRREGULAR_3SG[low]} {rest}".strip(), True
    elif low in _PAST_STARTS or low in _MODALS:
        text, about_child = "You " + _lower_first(text), True
    elif low in _STATE_STARTS or (low.endswith("ing") and len(low) > 4):
        text, about_child = "You are " + _lower_first(text), True
    elif low in _FAMILY_WORDS or (
        low in _OWNED
        and re.search(
            r"\b(?:is|are|was|were|has|have|had|needs|done|started|booked|up to date)\b", text
        )
    ):
        text = "Your " + _lower_first(text)
    text = _THE_PERSON.sub(lambda m: "your " + m.group(1), text)
    text = re.sub(r"^your ", "Your ", text)
    text = _BARE_FAMILY.sub(lambda m: "your " + m.group(1), text)
    text = re.sub(r"\bthe IRO\b|\bIRO\b", "me", text)
    text = _pronouns(text, names, about_child=about_child)
    text = _PARTICIPLE_ONLY.sub(_add_was, text)
    return _you_agreement(text)


def to_second_person(note: str, names: ChildNames) -> str:
    """One line of a case note, written to the child where plain rules can; else as it was.

    Whatever is still third person is found by `third_person_flags` afterwards.
    """
    text = " ".join(note.split()).rstrip(".")
    if not text:
        return ""
    parts = [_clause(p, names) for p in re.split(r"\s*;\s*", text)]
    parts = [p if i == 0 or p.startswith("I ") else _lower_first(p) for i, p in enumerate(parts)]
    joined = "; ".join(p for p in parts if p)
    return _cap(joined) + "."


def _fix_you_you(text: str) -> str:
    """'remind you you can ask' -> 'remind you that you can ask'."""
    return re.sub(r"\b(\w+) you you\b", r"\1 you that you", text)


def as_decision(note: str, names: ChildNames) -> str:
    """A 'needs to happen' note as something decided: 'Carer to book the dentist' ->
    'Your carer will book the dentist.'; an order with nobody named gets 'We will'."""
    text, _ = _replace_child(" ".join(note.split()).rstrip("."), names)
    m = _OWNER_TO.match(text)
    if m:
        owner = m.group(1)
        if re.fullmatch(r"(?:the\s+)?iro", owner, re.IGNORECASE):
            who = "I"
        else:
            who = _clause(owner, names)
            who = re.sub(r"^(?:You are |You have )", "", who) or who
            if who.lower() in ("you", "your"):
                who = "You"
            elif not who.lower().startswith(("your", "you ")):
                who = "Your " + _lower_first(who)
        rest = _pronouns(_clause(m.group(2), names), names, about_child=True)
        rest = _lower_first(re.sub(r"^You (?:are )?", "", rest))
        return _cap(f"{who} will {rest}") + "."
    first = text.split(" ", 1)[0].lower()
    if first == "keep":  # 'Keep going to the events they enjoy': the child keeps going
        return _fix_you_you(_cap("You will " + _clause(_lower_first(text), names))) + "."
    if first in _VERBS or first in (
        "apply",
        "book",
        "present",
        "refer",
        "register",
        "update",
        "consider",
        "offer",
        "remind",
        "plan",
        "agree",
        "ask",
        "finish",
        "complete",
        "check",
        "review",
        "chase",
    ):
        return _fix_you_you(_cap("We will " + _clause(_lower_first(text), names))) + "."
    return to_second_person(text, names)


# --- flagging -------------------------------------------------------------------------------

_SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")
_QUOTE = re.compile(r"“[^”]*”|\"[^\"]*\"")
_OTHER_PERSON = re.compile(
    rf"\b(?:{_PEOPLE}|everyone|people|friends|staff|mr|mrs|ms|miss|dr|manager|managers|"
    r"worker|workers|these|those|anyone|someone|nobody|teachers|parents|grown-up|adult|"
    r"family|service|team|we)\b",
    re.IGNORECASE,
)
_GENDERED = {"he": "M", "him": "M", "his": "M", "himself": "M",
             "she": "F", "her": "F", "hers": "F", "herself": "F"}  # fmt: skip
_PLURAL = frozenset(["they", "them", "their", "theirs", "themselves"])
_STARTS_3SG = re.compile(r"^(?:- )?([A-Z][a-z]+)\b")


def _blank_quotes(text: str) -> str:
    """The child's own words are theirs: they are never flagged."""
    return _QUOTE.sub(lambda m: " " * len(m.group(0)), text)


def third_person_flags(text: str, names: ChildNames) -> tuple[Flag, ...]:
    """Every sentence of the letter's body that still talks about the child, not to them.

    The title ('# ...'), headings and the greeting may name the child; so may a closing
    'Take care, Amira.' addressed to them.
    """
    flags: list[Flag] = []
    masked = _blank_quotes(text)
    name_re = _names_pattern(names)
    offset = 0
    greeting_seen = False
    for line in masked.split("\n"):
        start_of_line = offset
        offset += len(line) + 1
        stripped = line.strip()
        if not stripped or stripped.startswith("#") or stripped == "---":
            continue
        if not greeting_seen:
            greeting_seen = True  # 'Dear Amira,'
            continue
        previous = ""  # 'a grown-up you trust. They can help you' is not about the child
        for m in _SENTENCE.finditer(line):
            sentence = m.group(0).strip()
            if not sentence:
                continue
            s_start = start_of_line + m.start() + (len(m.group(0)) - len(m.group(0).lstrip()))
            original = text[s_start : s_start + len(sentence)]
            reason = _flag_reason(sentence, names, name_re, previous)
            if reason:
                flags.append(Flag(s_start, s_start + len(sentence), original, reason))
            previous = sentence
    return tuple(flags)


_FEMALE = frozenset(
    ["mum", "mother", "nan", "nana", "nanny", "grandma", "granny", "sister", "aunt", "auntie",
     "mrs", "ms", "miss", "girlfriend", "stepmum", "daughter", "woman", "lady"]
)  # fmt: skip
_MALE = frozenset(
    ["dad", "father", "grandad", "grandpa", "brother", "uncle", "mr", "boyfriend", "stepdad",
     "son", "man"]
)  # fmt: skip


def _could_be(gender: str, earlier: list[str], *, roles: bool = True) -> bool:
    """Whether someone named before a he/she could be who it means: a person of that sex, or
    (with `roles`) one whose sex the words do not say, such as a carer or a teacher."""
    for word in earlier:
        low = word.lower().strip(".,;:!?")
        low = re.sub(r"['’]s$", "", low)
        if (gender == "F" and low in _FEMALE) or (gender == "M" and low in _MALE):
            return True
        if not roles or low in _FEMALE or low in _MALE or low.endswith("s"):
            continue  # 'carers', 'parents': never 'he' or 'she'
        if _OTHER_PERSON.fullmatch(low) and low not in ("we", "these", "those", "service", "team"):
            return True
    return False


def _flag_reason(
    sentence: str, names: ChildNames, name_re: re.Pattern[str] | None, previous: str = ""
) -> str:
    body = sentence[2:] if sentence.startswith("- ") else sentence
    if _CHILD_WORDS.search(body):
        return "Calls the reader 'the child' or 'the young person'"
    if name_re is not None:
        for m in name_re.finditer(body):
            after = body[m.end() :].strip()
            before = body[: m.start()].rstrip()
            vocative = before.endswith(",") and after in ("", ".", "!", ",")
            if m.group(2) or not vocative:
                return f"Names {m.group(1)} in the third person"
    first = _STARTS_3SG.match(body)
    if first and _third_to_base(first.group(1)) and first.group(1).lower() not in ("is", "was"):
        return "Reads as a note about the reader, not to them"
    words = re.findall(r"[A-Za-z]+", body)
    for i, word in enumerate(words):
        low = word.lower()
        if low not in _GENDERED and low not in _PLURAL:
            continue
        if low in _GENDERED and names.sex not in ("", _GENDERED[low]):
            continue
        earlier = " ".join([previous, *words[:i]])
        if low in _GENDERED:
            # In a letter to the child, 'he' after 'your social worker' is still more often
            # the child: only a person of that sex (or a name) clears it.
            someone_else = _could_be(_GENDERED[low], earlier.split(), roles=False)
        else:
            someone_else = bool(_OTHER_PERSON.search(earlier))
        someone_else = someone_else or bool(re.search(r"\b[A-Z][a-z]+\b", " ".join(words[1:i])))
        if not someone_else:
            return f"Uses '{low}' where the reader may be meant"
    return ""
