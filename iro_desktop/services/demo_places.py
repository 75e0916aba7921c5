"""Where demo children live: placement codes by age, invented providers, postcodes and URNs.

Every combination here is one the DfE accepts (see domain.episode_rules): a placement code is
only offered at an age it is allowed, each provider's PLACE_PROVIDER code can run that kind of
placement, and a URN is given only where Ofsted registers the placement ("XXXXXXX" where none
applies). URNs use the "SC" + 6 digits shape of Ofsted social care numbers (6 digits for a
school) in a range chosen to be synthetic. Postcodes come from demo_postcodes.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from iro_desktop.services.demo_postcodes import ELSEWHERE, IN_AREA, miles_between

NO_URN = "XXXXXXX"


def postcode(rng: random.Random, in_area: bool) -> str:
    """A home in the area or beyond (never a children's home or other provider's building)."""
    return rng.choice(_HOMES_IN if in_area else _HOMES_OUT)


@dataclass(frozen=True)
class Provider:
    """An invented provider. `postcode` is fixed for a building (a children's home); blank
    where the child lives in the carer's own home (foster care, adoption, kinship)."""

    name: str
    code: str  # PLACE_PROVIDER
    urn: str
    in_area: bool | None = None  # None: depends on where the carer lives
    postcode: str = ""

    @property
    def kind(self) -> str:
        return "" if self.code == "PR0" else "in_house" if self.code == "PR1" else "external"


FOSTERING = [
    Provider("In-house fostering service", "PR1", "SC901104"),
    Provider("Northway Fostering (independent agency)", "PR4", "SC902217"),
    Provider("Brightlane Foster Care (charity)", "PR5", "SC903385"),
]
KINSHIP = Provider("Kinship carers approved by the council", "PR1", "SC901104")
CHILDRENS_HOMES = [
    Provider("Oakfield (council children's home)", "PR1", "SC904410", True, "M22 7JE"),
    Provider("Hilltop House (private children's home)", "PR4", "SC905562", False, "SK10 4LG"),
    Provider("Beech Lodge (private children's home)", "PR4", "SC906608", False, "LA1 5LG"),
    Provider("Willow Court (charity children's home)", "PR5", "SC907731", False, "PR1 4QE"),
]
# Supported accommodation in the council's own area: the DfE checks a K3 provider has
# premises in the placing council's area (rule 241).
SUPPORTED = [
    Provider("Stepping Stones supported accommodation", "PR5", "SC908843", True, "M13 9EF"),
    Provider("Harbour Lets supported accommodation", "PR4", "SC909976", True, "M40 1UA"),
]
SECURE = Provider("Redbrook secure children's home (another council)", "PR2", "SC910054",
                  False, "ST5 2RR")  # fmt: skip
RESIDENTIAL_SCHOOL = Provider("Fernbrook residential school", "PR4", "990317", False, "CH2 3PW")
ADOPTION = [
    Provider("Regional adoption agency", "PR1", "SC911187"),
    Provider("Coastline Adoption (charity)", "PR5", "SC912290"),
]
PARENTS = Provider("Parents", "PR0", NO_URN, True)
RESPITE = Provider("In-house fostering service (short-term carer)", "PR1", NO_URN)
_BUILDINGS = {p.postcode for p in [*CHILDRENS_HOMES, *SUPPORTED, SECURE, RESIDENTIAL_SCHOOL]}
_HOMES_IN = sorted(set(IN_AREA) - _BUILDINGS)
_HOMES_OUT = sorted(set(ELSEWHERE) - _BUILDINGS)


def provider_for(rng: random.Random, place: str) -> Provider:
    """A provider that can run this placement (DfE rules 527-531 and 550)."""
    if place in ("U1", "U2", "U3"):
        return KINSHIP
    if place in ("U4", "U5", "U6"):
        return rng.choices(FOSTERING, weights=[55, 35, 10])[0]
    if place == "K2":
        return rng.choices(CHILDRENS_HOMES, weights=[30, 30, 25, 15])[0]
    if place == "K3":
        return rng.choice(SUPPORTED)
    if place == "K1":
        return SECURE
    if place == "S1":
        return RESIDENTIAL_SCHOOL
    if place.startswith("A"):
        return rng.choices(ADOPTION, weights=[75, 25])[0]
    if place == "P1":
        return PARENTS
    if place.startswith("T"):
        return RESPITE
    raise ValueError(f"No demo provider for placement {place}")


# Placement codes by age when the placement starts: (code, weight, youngest, oldest).
# K3 supported accommodation from 16 (rule 371), S1 from 8 here (rule 373 allows 4),
# children's homes from 10, secure homes from 12; U5 is for babies placed with carers who
# may adopt them (fostering for adoption), which the adoption route uses.
PLACEMENT_BY_AGE: list[tuple[str, int, int, int]] = [
    ("U6", 40, 0, 17),
    ("U4", 18, 1, 17),
    ("U3", 9, 0, 17),
    ("U1", 5, 2, 17),
    ("K2", 12, 10, 17),
    ("K3", 30, 16, 17),
    ("S1", 2, 8, 17),
    ("K1", 1, 12, 17),
]
# Unaccompanied children: foster care at 14-15, mostly supported accommodation from 16.
UASC_PLACEMENT_BY_AGE: list[tuple[str, int, int, int]] = [
    ("U6", 60, 0, 17),
    ("K2", 5, 14, 17),
    ("K3", 80, 16, 17),
]


def placement_for_age(rng: random.Random, age: int, *, uasc: bool = False, avoid: str = "") -> str:
    table = UASC_PLACEMENT_BY_AGE if uasc else PLACEMENT_BY_AGE
    options = [(c, w) for c, w, lo, hi in table if lo <= age <= hi and c != avoid]
    if not options:
        options = [("U6", 1)]
    return rng.choices([c for c, _ in options], weights=[w for _, w in options])[0]


@dataclass(frozen=True)
class Placement:
    """One placement: the code, who provides it and where. `carer` tells two placements with
    the same carer apart from a move to a new one (a 903 'U' rather than 'P')."""

    code: str
    provider: Provider
    postcode: str
    in_area: bool
    distance_miles: float
    carer: int

    @property
    def urn(self) -> str:
        # URNs only for placements Ofsted registers (DfE rule 222 lists those without one).
        if self.code in ("P1", "R1", "R2", "R5", "P3") or self.code.startswith(("T", "Z")):
            return NO_URN
        return self.provider.urn


def new_placement(
    rng: random.Random,
    code: str,
    carer: int,
    home_postcode: str,
    provider: Provider | None = None,
    avoid: str = "",
) -> Placement:
    """A placement with a new carer. Placed with parents means at home (same postcode)."""
    provider = provider or provider_for(rng, code)
    if code == "P1":
        return Placement(code, provider, home_postcode, True, 0.0, carer)
    if provider.postcode:
        in_area = bool(provider.in_area)
        where = provider.postcode
    else:
        # Foster carers and adopters live in their own homes, inside the area or beyond.
        near = {"PR1": 0.75, "PR4": 0.35, "PR5": 0.45}.get(provider.code, 0.5)
        in_area = rng.random() < near
        where = postcode(rng, in_area)
        while where in (home_postcode, avoid):
            where = postcode(rng, in_area)
    return Placement(code, provider, where, in_area, miles_between(home_postcode, where), carer)
