"""The DfE and SSDA903 codes the program records, with words an IRO recognises.

Codes are validated against these tables everywhere they enter (forms, imports, the command
line), so the annual SSDA903 return can be built from the records without cleaning.
"""

from __future__ import annotations

LEGAL_STATUSES: dict[str, str] = {
    "C1": "Interim care order",
    "C2": "Full care order",
    "D1": "Freeing order (legacy)",
    "E1": "Placement order",
    "V2": "Accommodated under section 20",
    "V3": "Short breaks (single placement)",
    "V4": "Short breaks (series of placements)",
    "J1": "Remanded to local authority accommodation",
    "J2": "Placed in accommodation under PACE",
    "J3": "Sentenced to a youth rehabilitation order with residence requirement",
    "L1": "Police protection",
    "L2": "Emergency protection order",
    "L3": "Child assessment order",
}

PLACEMENT_TYPES: dict[str, str] = {
    "U1": "Foster care with relative or friend, long term",
    "U2": "Foster care with relative or friend (FFA/concurrent)",
    "U3": "Foster care with relative or friend, not long term",
    "U4": "Foster care with other foster carer, long term",
    "U5": "Foster care with other foster carer (FFA/concurrent)",
    "U6": "Foster care with other foster carer, not long term",
    "P1": "Placed with own parents",
    "K1": "Secure children's home",
    "K2": "Children's home",
    "R1": "Residential care home",
    "S1": "Residential school",
    "A3": "Placed for adoption (consent, with current foster carer)",
    "A4": "Placed for adoption (consent, not with current foster carer)",
    "A5": "Placed for adoption (placement order, with current foster carer)",
    "A6": "Placed for adoption (placement order, not with current foster carer)",
    "H5": "Semi-independent living",
    "P2": "Independent living",
    "R5": "Young offender institution",
    "Z1": "Other placement",
}

# Short words for lists and letters; the long forms above are for the record.
PLACEMENT_SHORT: dict[str, str] = {
    "U1": "Connected carer",
    "U2": "Connected carer",
    "U3": "Connected carer",
    "U4": "Foster care",
    "U5": "Foster care",
    "U6": "Foster care",
    "P1": "With parents",
    "K1": "Secure home",
    "K2": "Children's home",
    "R1": "Residential",
    "S1": "Residential school",
    "A3": "Adoptive placement",
    "A4": "Adoptive placement",
    "A5": "Adoptive placement",
    "A6": "Adoptive placement",
    "H5": "Semi-independent",
    "P2": "Independent living",
    "R5": "Young offender institution",
    "Z1": "Other",
}

PARTICIPATION_CODES: dict[str, str] = {
    "PN0": "Child aged under 4 at the time of the review",
    "PN1": "Child physically attends and speaks for him or herself",
    "PN2": "Child physically attends and an advocate speaks on his or her behalf",
    "PN3": "Child attends and conveys his or her view symbolically (non-verbally)",
    "PN4": "Child physically attends but does not speak for him or herself, does not convey "
    "views symbolically and does not ask an advocate to speak",
    "PN5": "Child does not attend physically but briefs an advocate to speak for him or her",
    "PN6": "Child does not attend but conveys his or her feelings by a facilitative medium",
    "PN7": "Child does not attend nor are his or her views conveyed to the review",
}

PERSON_ROLES: dict[str, str] = {
    "social_worker": "Social worker",
    "team_manager": "Team manager",
    "carer": "Carer",
    "parent": "Parent",
    "advocate": "Advocate",
    "independent_visitor": "Independent visitor",
    "health": "Health",
    "education": "Education",
    "personal_adviser": "Personal adviser",
    "other": "Other",
}

SEXES: dict[str, str] = {"F": "Female", "M": "Male", "X": "Other / not stated"}


def _check(code: str, table: dict[str, str], what: str) -> str:
    normalised = code.strip().upper() if what != "role" else code.strip().lower()
    if normalised not in table:
        allowed = ", ".join(table)
        raise ValueError(f"'{code}' is not a valid {what}. Use one of: {allowed}.")
    return normalised


def check_legal_status(code: str) -> str:
    return _check(code, LEGAL_STATUSES, "legal status code")


def check_placement_type(code: str) -> str:
    return _check(code, PLACEMENT_TYPES, "placement type code")


def check_participation_code(code: str) -> str:
    return _check(code, PARTICIPATION_CODES, "participation code")


def check_person_role(role: str) -> str:
    return _check(role, PERSON_ROLES, "role")


def check_sex(code: str) -> str:
    return _check(code, SEXES, "sex")
