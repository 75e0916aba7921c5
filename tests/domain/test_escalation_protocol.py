"""Escalation protocols read from practice profiles, with errors an administrator can act on."""

from __future__ import annotations

import copy
import tomllib
from pathlib import Path
from typing import Any

import pytest

from iro_desktop.domain.escalation import (
    CHESHIRE_EAST,
    MANCHESTER,
    EscalationProtocol,
    Stage,
    protocol_from_mapping,
)

PROFILES = Path(__file__).resolve().parents[2] / "resources" / "profiles"

EXAMPLE: dict[str, Any] = {
    "name": "Example borough dispute resolution",
    "overall_limit_working_days": 20,
    "allow_bypass": False,
    "stages": [
        {
            "key": "informal",
            "name": "Informal escalation",
            "from_role": "IRO",
            "to_role": "Team Manager",
            "limit_working_days": 5,
        },
        {
            "key": "cafcass",
            "name": "Referral to CAFCASS",
            "from_role": "IRO",
            "to_role": "CAFCASS",
            "limit_working_days": 0,
        },
    ],
}


@pytest.mark.parametrize(
    ("filename", "constant"),
    [("manchester.toml", MANCHESTER), ("cheshire_east.toml", CHESHIRE_EAST)],
)
def test_built_in_protocols_match_the_shipped_practice_profiles(
    filename: str, constant: EscalationProtocol
) -> None:
    with (PROFILES / filename).open("rb") as handle:
        profile = tomllib.load(handle)
    assert protocol_from_mapping(profile["escalation"]) == constant
    # The whole profile is accepted too, so callers can pass tomllib's result directly.
    assert protocol_from_mapping(profile) == constant


def test_manchester_has_six_stages_ending_with_an_open_ended_cafcass_referral() -> None:
    assert [stage.key for stage in MANCHESTER.stages] == [
        "informal",
        "formal",
        "head_of_service",
        "strategic_lead",
        "strategic_director",
        "cafcass",
    ]
    assert MANCHESTER.cafcass_stage is not None
    assert MANCHESTER.cafcass_stage.open_ended
    assert MANCHESTER.overall_limit_working_days == 20


def test_cheshire_east_gives_five_then_ten_working_days_then_cafcass() -> None:
    assert [(s.key, s.limit_working_days) for s in CHESHIRE_EAST.stages] == [
        ("informal_alert", 5),
        ("formal_alert", 10),
        ("cafcass", 0),
    ]


def test_a_minimal_protocol_parses() -> None:
    protocol = protocol_from_mapping(EXAMPLE)
    assert protocol.allow_bypass is False
    assert protocol.stage("informal") == Stage(
        "informal", "Informal escalation", "IRO", "Team Manager", 5
    )
    assert protocol.index_of("cafcass") == 1


def _broken(change: Any) -> dict[str, Any]:
    data = copy.deepcopy(EXAMPLE)
    change(data)
    return data


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.pop("overall_limit_working_days"), "missing 'overall_limit_working_days'"),
        (lambda d: d["stages"][1].pop("to_role"), "escalation stage 2 is missing 'to_role'"),
        (lambda d: d["stages"][0].update(days=5), "Unknown setting(s) days in escalation stage 1"),
        (lambda d: d.update(limit=3), "Unknown setting(s) limit"),
        (lambda d: d.update(stages=[]), "at least one [[escalation.stages]]"),
        (lambda d: d["stages"][1].update(key="informal"), "repeated: informal"),
        (lambda d: d["stages"][0].update(limit_working_days=-1), "not -1"),
        (lambda d: d["stages"][0].update(limit_working_days=True), "not True"),
        (lambda d: d["stages"][0].update(limit_working_days="5"), "not '5'"),
        (lambda d: d.update(allow_bypass="yes"), "allow_bypass must be true or false"),
        (lambda d: d.update(overall_limit_working_days=0), "not 0"),
        (lambda d: d["stages"][0].update(key="Head Of Service"), "'Head Of Service'"),
        (lambda d: d["stages"][0].update(name="  "), "stage name must be some text"),
    ],
)
def test_bad_settings_are_refused_with_a_message_naming_the_problem(
    change: Any, message: str
) -> None:
    with pytest.raises(ValueError) as raised:
        protocol_from_mapping(_broken(change))
    assert message in str(raised.value)


def test_asking_for_an_unknown_stage_lists_the_stages_there_are() -> None:
    with pytest.raises(ValueError, match="'panel' is not a stage .* informal_alert, formal_alert"):
        CHESHIRE_EAST.stage("panel")


def test_a_profiles_themes_are_read_in_order_and_a_bad_one_is_named() -> None:
    from iro_desktop.domain.escalation import dispute_themes, partner_themes, theme_label

    table = {"themes": {"late_plans": "Care plans late", "other": "Other"}}
    assert list(dispute_themes(table)) == ["late_plans", "other"]
    assert partner_themes(table) == dispute_themes(table)  # none listed: the same ones
    assert dispute_themes({})["permanence_drift"] == "Drift in permanence planning"
    assert theme_label("bail_conditions", {}) == "Bail conditions"
    with pytest.raises(ValueError, match=r"\[escalation.themes\]: 'Late Plans' is not a theme"):
        dispute_themes({"themes": {"Late Plans": "Care plans late"}})
    with pytest.raises(ValueError, match="label of late_plans"):
        dispute_themes({"themes": {"late_plans": ""}})
