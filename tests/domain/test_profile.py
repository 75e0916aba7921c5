"""Practice profiles: the two built-in authorities load, differ, and bad files say why."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from iro_desktop.domain.profile import PracticeProfile, load_profile
from iro_desktop.domain.timescales import SeriesBasis, minutes_due

PROFILES = Path(__file__).resolve().parents[2] / "resources" / "profiles"

MINIMAL = """
key = "testshire"
name = "Testshire IRO Service"
authority = "Testshire County Council"
closure_days = []

[timescales]
first_review_working_days = 20
recommendations_working_days = 5
minutes_working_days = 15
visit_window_weeks = 6
social_worker_report_working_days_before = 3
series_basis = "first_meeting"

[caseload]
guidance = [50, 70]

[escalation]
name = "Testshire protocol"
overall_limit_working_days = 20
allow_bypass = false
"""


def _builtin(key: str) -> PracticeProfile:
    return load_profile((PROFILES / f"{key}.toml").read_text(encoding="utf-8"))


def test_manchester_profile() -> None:
    profile = _builtin("manchester")
    assert profile.key == "manchester"
    assert profile.authority == "Manchester City Council"
    assert profile.minutes_working_days == 20
    assert profile.recommendations_working_days == 5
    assert profile.first_review_working_days == 20
    assert profile.visit_window_weeks == 6
    assert profile.caseload_guidance == (50, 70)
    assert profile.series_basis is SeriesBasis.FIRST_MEETING
    assert profile.closure_days == frozenset()
    escalation = profile.escalation
    assert escalation["overall_limit_working_days"] == 20
    assert escalation["allow_bypass"] is True
    stages = escalation["stages"]
    assert [s["to_role"] for s in stages] == [
        "Team Manager",
        "Locality Manager",
        "Head of Service",
        "Strategic Lead for Social Work",
        "Strategic Director of Children's Services",
        "CAFCASS",
    ]
    # The timed stages fit inside the 20-working-day maximum; CAFCASS is open-ended.
    assert sum(s["limit_working_days"] for s in stages) <= 20
    assert stages[-1]["limit_working_days"] == 0
    assert all(
        set(s) == {"key", "name", "from_role", "to_role", "limit_working_days"} for s in stages
    )


def test_cheshire_east_profile() -> None:
    profile = _builtin("cheshire_east")
    assert profile.minutes_working_days == 15
    stages = profile.escalation["stages"]
    assert [(s["to_role"], s["limit_working_days"]) for s in stages] == [
        ("Team Manager", 5),
        ("Senior Manager", 10),
        ("CAFCASS", 0),
    ]


def test_the_two_authorities_differ_where_it_matters() -> None:
    manchester, cheshire_east = _builtin("manchester"), _builtin("cheshire_east")
    assert manchester != cheshire_east
    completed = date(2026, 3, 2)
    assert minutes_due(completed, cheshire_east.minutes_working_days) == date(2026, 3, 23)
    assert minutes_due(completed, manchester.minutes_working_days) == date(2026, 3, 30)
    assert len(manchester.escalation["stages"]) == 6
    assert len(cheshire_east.escalation["stages"]) == 3


def test_minimal_profile_loads_and_is_hashable() -> None:
    profile = load_profile(MINIMAL)
    assert profile.name == "Testshire IRO Service"
    assert profile.escalation["allow_bypass"] is False
    assert hash(profile) == hash(load_profile(MINIMAL))
    assert profile == load_profile(MINIMAL)


def test_closure_days_reach_the_calendar() -> None:
    text = MINIMAL.replace("closure_days = []", 'closure_days = ["2026-12-29", 2026-12-30]')
    profile = load_profile(text)
    assert profile.closure_days == {date(2026, 12, 29), date(2026, 12, 30)}
    assert not profile.calendar.is_working_day(date(2026, 12, 30))
    assert profile.calendar.add_working_days(date(2026, 12, 24), 1) == date(2026, 12, 31)
    assert profile.calendar is profile.calendar  # built once, its counting cache kept


def test_last_meeting_basis() -> None:
    profile = load_profile(MINIMAL.replace('"first_meeting"', '"last_meeting"'))
    assert profile.series_basis is SeriesBasis.LAST_MEETING


def test_not_toml_at_all() -> None:
    with pytest.raises(ValueError, match="not valid TOML"):
        load_profile("key = \n[timescales")


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "minutes_working_days = 15\n",
            "",
            "missing the setting 'timescales.minutes_working_days'",
        ),
        ('key = "testshire"\n', "", "missing the setting 'key'"),
        ("[caseload]\nguidance = [50, 70]\n", "", "missing the setting 'caseload'"),
        (
            "minutes_working_days = 15",
            'minutes_working_days = "15"',
            "whole number from 1 to 60, not '15'",
        ),
        ("minutes_working_days = 15", "minutes_working_days = 0", "not 0"),
        ("minutes_working_days = 15", "minutes_working_days = true", "not True"),
        (
            "minutes_working_days = 15",
            "minute_working_days = 15",
            "'timescales.minute_working_days'",
        ),
        ('"first_meeting"', '"middle_meeting"', '"first_meeting" or "last_meeting"'),
        ("guidance = [50, 70]", "guidance = [70, 50]", "lowest first"),
        ("guidance = [50, 70]", "guidance = 60", "two whole numbers"),
        ("closure_days = []", 'closure_days = ["29/12/2026"]', "'29/12/2026' is not a date"),
        ("closure_days = []", 'closure_days = ["2026-02-30"]', "'2026-02-30' is not a date"),
        ("closure_days = []", "closure_days = [2026-12-29T09:00:00]", "is not a date"),
        ("closure_days = []", 'closure_days = ["2050-12-29"]', "2000-2040"),
        ("closure_days = []", 'closure_days = "2026-12-29"', "must be a list of dates"),
        ('key = "testshire"', 'key = "Test Shire"', "lower-case letters"),
        ('name = "Testshire IRO Service"', 'name = ""', "'name' must be some text"),
        ("[escalation]", "[escalations]", "missing the setting 'escalation'"),
        ("[timescales]", "timescales = 3\n[timescale]", "'timescales' must be a table"),
        # Reg 33's 20 working days is the most a service may allow for the first review.
        (
            "first_review_working_days = 20",
            "first_review_working_days = 21",
            "whole number from 1 to 20, not 21",
        ),
        (
            "[escalation]",
            "[care_leavers]\npathway_reviews_until_age = 30\n[escalation]",
            "'care_leavers.pathway_reviews_until_age' must be a whole number from 18 to 25",
        ),
        (
            "[escalation]",
            "[care_leavers]\npathway_review_until = 21\n[escalation]",
            "'care_leavers.pathway_review_until'",
        ),
    ],
)
def test_bad_profiles_say_what_is_wrong(old: str, new: str, message: str) -> None:
    assert old in MINIMAL
    with pytest.raises(ValueError) as error:
        load_profile(MINIMAL.replace(old, new, 1))
    assert message in str(error.value)


def test_pathway_reviews_stop_at_the_age_the_service_sets() -> None:
    assert load_profile(MINIMAL).pathway_reviews_until_age == 18  # unless the service says so
    assert _builtin("cheshire_east").pathway_reviews_until_age == 21
    assert _builtin("manchester").pathway_reviews_until_age == 21
    longer = MINIMAL.replace(
        "[escalation]", "[care_leavers]\npathway_reviews_until_age = 25\n[escalation]"
    )
    assert load_profile(longer).pathway_reviews_until_age == 25
