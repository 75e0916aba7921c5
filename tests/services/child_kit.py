"""A child added by hand and placed, as an IRO would start one: the shared first steps of the
service tests (each test names what it needs to be different)."""

from __future__ import annotations

from datetime import date
from typing import Any

from iro_desktop.services import children as svc
from iro_desktop.services.children import ChildDetails, Placement


def placed_child(  # type: ignore[no-untyped-def]
    session,
    la_id: str,
    *,
    first: str,
    last: str,
    born: date,
    sex: str,
    start: date,
    placement: str = "U4",
) -> Any:
    """A child in care since `start` (C2, N1) in `placement`; returns the saved child."""
    child = svc.add_child(
        session,
        ChildDetails(
            legal_first_name=first,
            legal_last_name=last,
            date_of_birth=born,
            sex=sex,
            la_child_id=la_id,
            ethnicity="WBRI",
            allocated_iro="Ada Example",
        ),
    )
    svc.start_period(
        session,
        child.id,
        start=start,
        legal_status="C2",
        category_of_need="N1",
        placement=Placement(placement, "PR1", "M5 5AA", home_postcode="M9 9ZZ"),
    )
    return child
