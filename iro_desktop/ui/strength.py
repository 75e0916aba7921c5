"""How strong a new passphrase looks, in words (no Qt here, so it is tested on its own).

A simple, honest estimate: the guessing space from the kinds of character used, less what
repeats, runs and very common choices give away; for a phrase of several words, no more than a
word list would allow. It is feedback to help an IRO choose, not a guarantee.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

MIN_LENGTH = 10  # the store refuses shorter passphrases (store.vault.MIN_PASSPHRASE)

# Bits per word for a phrase people make up themselves (well below a random word list's 12.9).
BITS_PER_CHOSEN_WORD = 11.0

_COMMON = {
    "password",
    "passw0rd",
    "letmein",
    "qwerty",
    "iloveyou",
    "welcome",
    "admin",
    "monkey",
    "dragon",
    "football",
    "sunshine",
    "princess",
    "trustno1",
    "abc123",
    "baseball",
    "master",
    "secret",
    "changeme",
    "manchester",
    "cheshire",
    "children",
    "social",
    "council",
}
_RUNS = ("abcdefghijklmnopqrstuvwxyz", "0123456789", "qwertyuiop", "asdfghjkl", "zxcvbnm")


@dataclass(frozen=True)
class Strength:
    bits: float
    verdict: str  # Too short | Very weak | Weak | Fair | Strong | Very strong
    acceptable: bool
    advice: str

    @property
    def score(self) -> int:
        """0-4, for a meter beside the words."""
        return {"Too short": 0, "Very weak": 0, "Weak": 1, "Fair": 2, "Strong": 3}.get(
            self.verdict, 4
        )

    def describe(self) -> str:
        return f"{self.verdict} (about {int(self.bits)} bits). {self.advice}".strip()


def _kinds(passphrase: str) -> list[str]:
    kinds = []
    if re.search(r"[a-z]", passphrase):
        kinds.append("lower-case letters")
    if re.search(r"[A-Z]", passphrase):
        kinds.append("capitals")
    if re.search(r"[0-9]", passphrase):
        kinds.append("digits")
    if re.search(r"\s", passphrase):
        kinds.append("spaces")
    if re.search(r"[^A-Za-z0-9\s]", passphrase):
        kinds.append("symbols")
    return kinds


_POOL = {
    "lower-case letters": 26,
    "capitals": 26,
    "digits": 10,
    "spaces": 1,
    "symbols": 33,
}


def _effective_length(passphrase: str) -> float:
    """Length less repeats and keyboard or alphabet runs, which add little to guessing."""
    lowered = passphrase.lower()
    length = 0.0
    for i, ch in enumerate(lowered):
        if i >= 2 and ch == lowered[i - 1] == lowered[i - 2]:
            length += 0.1  # a third identical character in a row
            continue
        if i >= 2 and any(lowered[i - 2 : i + 1] in run for run in _RUNS):
            length += 0.25  # the third of "abc", "123", "qwe"
            continue
        length += 1.0
    return length


def estimate(passphrase: str) -> Strength:
    length = len(passphrase)
    kinds = _kinds(passphrase)
    pool = sum(_POOL[k] for k in kinds) or 1
    lowered = passphrase.lower()
    common = sorted(c for c in _COMMON if c in lowered)
    rest = lowered
    for word in common:
        rest = rest.replace(word, "")
    # A well-known word is one early guess, worth a few bits, not its length in letters.
    bits = _effective_length(rest) * math.log2(pool) + 4.0 * len(common)
    words = [w for w in re.split(r"[^A-Za-z]+", passphrase) if len(w) >= 2]
    if len(words) >= 3:
        # A phrase of words is guessed word by word; digits and symbols add a little.
        extra = len(re.findall(r"[^A-Za-z\s]", passphrase)) * 3.0
        bits = min(bits, len(words) * BITS_PER_CHOSEN_WORD + extra)
    if len(set(lowered)) <= 3:
        bits = min(bits, 10.0)
    bits = max(bits, 0.0)

    if length < MIN_LENGTH:
        more = MIN_LENGTH - length
        return Strength(
            bits,
            "Too short",
            False,
            f"Use at least {MIN_LENGTH} characters ({more} more). "
            "A few ordinary words strung together are easy to remember.",
        )
    # Thresholds assume the slow key derivation in front of every guess (scrypt, ~0.3 s).
    if bits < 28:
        verdict = "Very weak"
    elif bits < 36:
        verdict = "Weak"
    elif bits < 50:
        verdict = "Fair"
    elif bits < 70:
        verdict = "Strong"
    else:
        verdict = "Very strong"

    advice_parts = [f"{length} characters"]
    if kinds:
        advice_parts.append(_join(kinds))
    advice = ", ".join(advice_parts) + "."
    if common:
        advice += f" Avoid well-known words such as '{common[0]}'."
    elif verdict in ("Very weak", "Weak", "Fair"):
        advice += " Add another word or two to make it stronger."
    return Strength(bits, verdict, verdict not in ("Very weak",), advice)


def _join(items: list[str]) -> str:
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " and " + items[-1]
