"""The demo caseloads make DfE-legal returns: no rule broken for seeds 1 to 3, in the year
ending 31 March 2026 and the year ending 31 March 2027.

The demo is made as of May 2027, after both years have ended, as a council makes its return:
a return for a year still going on would show, for example, a 17-year-old who turns 18 before
31 March as still looked after then (DfE rule 359) when nothing is wrong yet.

Two routes: the generator's children straight into the exporter (no database), and the demo
stored in a real caseload and exported by the service the window and command line use.
A failure lists each broken rule with its message and how many rows break it.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from iro_desktop.domain.caseload import Child, ReviewSummary
from iro_desktop.domain.review import Review
from iro_desktop.domain.timescales import SeriesBasis
from iro_desktop.interchange.ssda903_write import build_return, write_return
from iro_desktop.services.access import CaseloadSession
from iro_desktop.store.review_repository import summary_columns
from tests.interchange.validator_kit import Issues, validate_return

AS_OF = date(2027, 5, 14)
CHILDREN = 60
SEEDS = (1, 2, 3)
YEARS = (2026, 2027)


def _summary(review: Review, basis: SeriesBasis) -> ReviewSummary:
    # What the store keeps beside each review and reads back onto the child.
    cols = summary_columns(review, basis)
    return ReviewSummary(
        id=review.id,
        kind=cols["kind"],
        status=cols["status"],
        due_date=cols["due_date"],
        sequence=cols["sequence"],
        timeliness_date=cols["timeliness_date"],
        completed_date=cols["completed_date"],
        pn_code=cols["pn_code"],
        is_extra=cols["is_extra"],
        meeting_dates=(cols["first_meeting_on"],) if cols["first_meeting_on"] else (),
    )


def demo_children(seed: int, basis: SeriesBasis = SeriesBasis.FIRST_MEETING) -> list[Child]:
    """The demo's children with their reviews, as the caseload would hold them."""
    from iro_desktop.services.demo import generate_caseload  # here: a broken demo fails the test

    demo = generate_caseload(CHILDREN, seed, AS_OF, ["Ada Example"])
    by_child: dict[str, list[ReviewSummary]] = {}
    for r in demo.reviews:
        by_child.setdefault(r.child_id, []).append(_summary(r.review, basis))
    return [replace(c, reviews=tuple(by_child.get(c.id, ()))) for c in demo.children]


def _report(issues: Issues) -> str:
    lines = [f"{n} x rule {rule}: {message}" for (rule, message), n in issues.counts().items()]
    return "\n".join(lines + [f"  e.g. {i}" for i in issues[:10]])


@pytest.mark.slow
@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("year", YEARS)
def test_a_demo_caseload_breaks_no_dfe_rule(tmp_path: Path, seed: int, year: int) -> None:
    tables = build_return(demo_children(seed), year)
    assert tables["Header"], "the demo has children looked after in the year"
    write_return(tables, tmp_path)
    issues = validate_return(tmp_path, year)
    assert not issues, _report(issues)


@pytest.mark.slow
@pytest.mark.parametrize("seed", SEEDS)
def test_a_stored_demo_caseload_exports_a_return_that_breaks_no_dfe_rule(
    session: CaseloadSession, tmp_path: Path, seed: int
) -> None:
    from iro_desktop.services.demo import load_demo
    from iro_desktop.services.ssda903_export import export_return

    load_demo(session, CHILDREN, seed=seed, as_of=AS_OF)
    found: dict[int, str] = {}
    for year in YEARS:
        out = tmp_path / str(year)
        result = export_return(session, year, out)
        assert result.rows["Header"] > 0
        # The store keeps every 903 field: the files are those of the demo never stored.
        direct = write_return(build_return(demo_children(seed), year), tmp_path / f"direct{year}")
        assert [p.read_bytes() for p in result.files] == [p.read_bytes() for p in direct]
        issues = validate_return(out, year)
        if issues:
            found[year] = _report(issues)
    assert not found, "\n".join(f"{year}:\n{text}" for year, text in found.items())
