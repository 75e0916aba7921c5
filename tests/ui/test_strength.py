"""Passphrase feedback in words."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from iro_desktop.ui.strength import estimate


def test_short_passphrases_are_refused_with_how_many_more_characters():
    s = estimate("abc12")
    assert s.verdict == "Too short" and not s.acceptable
    assert "5 more" in s.advice


def test_well_known_words_and_runs_are_called_weak():
    s = estimate("password1234")
    assert s.verdict in ("Very weak", "Weak")
    assert "password" in s.advice
    assert estimate("aaaaaaaaaaaaaaaa").verdict == "Very weak"
    assert not estimate("aaaaaaaaaaaaaaaa").acceptable


def test_a_few_ordinary_words_are_acceptable_and_more_words_are_stronger():
    three = estimate("heron teapot quarry")
    five = estimate("heron teapot quarry meadow lantern")
    assert three.acceptable
    assert five.bits > three.bits
    assert five.verdict in ("Strong", "Very strong")
    assert "spaces" in three.advice and "lower-case letters" in three.advice


def test_the_description_is_words_not_just_a_number():
    text = estimate("Kettle-Orchard-7-Lantern").describe()
    assert text.split()[0] in ("Fair", "Strong", "Very")
    assert "bits" in text and "characters" in text


@given(st.text(min_size=0, max_size=60))
def test_any_text_gets_a_verdict_and_non_negative_bits(text):
    s = estimate(text)
    assert s.bits >= 0
    assert 0 <= s.score <= 4
    assert s.describe()
    if len(text) < 10:
        assert not s.acceptable


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=10, max_size=30))
def test_adding_a_character_never_lowers_the_estimate_much(text):
    assert estimate(text + "Q").bits >= estimate(text).bits - 1e-9
