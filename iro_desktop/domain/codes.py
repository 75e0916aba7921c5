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
    # The DfE's V3/V4 differ in what is recorded, not in the breaks: V3 records each stay as
    # an episode, V4 records the agreement for the series (not each stay).
    "V3": "Short breaks under section 20: each stay recorded",
    "V4": "Short breaks under section 20: the agreement for the series recorded",
    "J1": "Remanded to local authority accommodation",
    "J2": "Placed in accommodation under PACE",
    "J3": "Sentenced to a youth rehabilitation order with residence requirement",
    "L1": "Police protection",
    "L2": "Emergency protection order",
    "L3": "Child assessment order",
}

# The placement codes of the current SSDA903 return (2025/26 on). Codes the DfE has retired
# (H5, P2, Z1) are kept in LEGACY_PLACEMENT_TYPES: they appear in older periods of care and in
# councils' historical files, and a return for an older year may still carry them.
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
    "K3": "Supported accommodation",
    "R1": "Residential care home",
    "R2": "NHS or health trust providing medical or nursing care",
    "R3": "Family centre or mother and baby unit",
    "R5": "Young offender institution or secure training centre",
    "S1": "Residential school",
    "P3": "Residential employment",
    "A3": "Placed for adoption (consent, with current foster carer)",
    "A4": "Placed for adoption (consent, not with current foster carer)",
    "A5": "Placed for adoption (placement order, with current foster carer)",
    "A6": "Placed for adoption (placement order, not with current foster carer)",
    "T0": "Temporary placement (T0)",
    "T1": "Temporary placement (T1)",
    "T2": "Temporary placement (T2)",
    "T3": "Temporary placement (T3)",
    "T4": "Temporary placement (T4)",
    "Z11": "Other placement (Z11)",
    "Z12": "Other placement (Z12)",
    "Z13": "Other placement (Z13)",
    "Z14": "Other placement (Z14)",
}

LEGACY_PLACEMENT_TYPES: dict[str, str] = {
    "H5": "Semi-independent living (before 2024)",
    "P2": "Independent living (before 2024)",
    "Z1": "Other placement (before 2024)",
}

ADOPTION_PLACEMENTS = frozenset({"A3", "A4", "A5", "A6"})
# Foster care with a relative or friend ("connected carers"), who may be approved temporarily.
CONNECTED_CARER_PLACEMENTS = frozenset({"U1", "U2", "U3"})
TEMPORARY_PLACEMENTS = frozenset({"T0", "T1", "T2", "T3", "T4"})

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
    "K3": "Supported accommodation",
    "R1": "Residential",
    "R2": "Health setting",
    "R3": "Family centre",
    "R5": "Young offender institution",
    "S1": "Residential school",
    "P3": "Residential employment",
    "A3": "Adoptive placement",
    "A4": "Adoptive placement",
    "A5": "Adoptive placement",
    "A6": "Adoptive placement",
    "T0": "Temporary placement",
    "T1": "Temporary placement",
    "T2": "Temporary placement",
    "T3": "Temporary placement",
    "T4": "Temporary placement",
    "Z11": "Other",
    "Z12": "Other",
    "Z13": "Other",
    "Z14": "Other",
    "H5": "Semi-independent",
    "P2": "Independent living",
    "Z1": "Other",
}

# --- the other SSDA903 code lists, in the IRO's words ---------------------------------------

REASONS_NEW_EPISODE: dict[str, str] = {
    "S": "Started to be looked after",
    "L": "Change of legal status only",
    "P": "Change of placement only",
    "T": "Change of legal status and placement",
    "U": "Change of placement, same carer",
    "B": "Change of legal status and placement, same carer",
}

CATEGORIES_OF_NEED: dict[str, str] = {
    "N1": "Abuse or neglect",
    "N2": "Child's disability",
    "N3": "Parental illness or disability",
    "N4": "Family in acute stress",
    "N5": "Family dysfunction",
    "N6": "Socially unacceptable behaviour",
    "N7": "Low income",
    "N8": "Absent parenting",
}

PLACEMENT_PROVIDERS: dict[str, str] = {
    "PR0": "Parents or others with parental responsibility",
    "PR1": "The council's own provision",
    "PR2": "Another council's provision",
    "PR3": "Other public provision (e.g. NHS)",
    "PR4": "Private provision",
    "PR5": "Voluntary or third sector provision",
}

REASONS_EPISODE_CEASED: dict[str, str] = {
    "X1": "Episode ended, care continues (new episode the same day)",
    "E11": "Adopted: application unopposed",
    "E12": "Adopted: consent dispensed with by the court",
    "E2": "Died",
    "E3": "Care taken over by another council",
    "E4A": "Returned home to parents as part of the care plan",
    "E4B": "Returned home to parents, not as part of the care plan",
    "E13": "Left care to live with parents or relatives without parental responsibility",
    "E41": "Child arrangements (residence) order granted",
    "E45": "Special guardianship order: former foster carers who are relatives or friends",
    "E46": "Special guardianship order: former foster carers, not relatives or friends",
    "E47": "Special guardianship order: other carers who are relatives or friends",
    "E48": "Special guardianship order: other carers, not relatives or friends",
    "E5": "Moved to independent living with formal support",
    "E6": "Moved to independent living without formal support",
    "E7": "Moved to residential care funded by adult social services",
    "E8": "Stopped being looked after for another reason",
    "E9": "Sentenced to custody",
    "E14": "Accommodation on remand ended",
    "E15": "Age assessment found the young person is 18 or over",
    "E16": "Moved abroad",
    "E17": "Turned 18 and stayed with their carers (staying put)",
}

REASONS_PLACE_CHANGE: dict[str, str] = {
    "CARPL": "Change to or carrying out the care plan",
    "CLOSE": "The placement resigned or closed",
    "ALLEG": "An allegation (section 47)",
    "STAND": "Concerns about the standard of care",
    "APPRR": "The carer's approval was removed",
    "CREQB": "The carer asked to end it because of the child's behaviour",
    "CREQO": "The carer asked to end it for another reason",
    "CHILD": "The child asked to end it",
    "LAREQ": "The council asked to end it",
    "PLACE": "Change in the status of the placement only",
    "CUSTOD": "Custody arrangement",
    "OTHER": "Another reason",
}

ETHNICITIES: dict[str, str] = {
    "WBRI": "White British",
    "WIRI": "White Irish",
    "WOTH": "Any other White background",
    "WIRT": "Traveller of Irish heritage",
    "WROM": "Gypsy or Roma",
    "MWBC": "Mixed White and Black Caribbean",
    "MWBA": "Mixed White and Black African",
    "MWAS": "Mixed White and Asian",
    "MOTH": "Any other mixed background",
    "AIND": "Indian",
    "APKN": "Pakistani",
    "ABAN": "Bangladeshi",
    "AOTH": "Any other Asian background",
    "BCRB": "Black Caribbean",
    "BAFR": "Black African",
    "BOTH": "Any other Black background",
    "CHNE": "Chinese",
    "OOTH": "Any other ethnic group",
    "REFU": "Refused",
    "NOBT": "Not yet obtained",
}

REASONS_PLACED_CEASED: dict[str, str] = {
    "RD1": "The child was adopted",
    "RD2": "The placement broke down",
    "RD3": "The child's needs changed",
    "RD4": "Another reason",
}

MISSING_KINDS: dict[str, str] = {
    "M": "Missing",
    "A": "Away from placement without authorisation",
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


def check_placement_type(code: str, *, legacy: bool = True) -> str:
    """A placement code; `legacy=False` refuses the codes the DfE has retired (new entries)."""
    normalised = code.strip().upper()
    if legacy and normalised in LEGACY_PLACEMENT_TYPES:
        return normalised
    return _check(code, PLACEMENT_TYPES, "placement type code")


def check_code(code: str, table: dict[str, str], what: str) -> str:
    """Any of the code lists above; blank is refused (callers decide what may be blank)."""
    return _check(code, table, what)


def check_participation_code(code: str) -> str:
    return _check(code, PARTICIPATION_CODES, "participation code")


def check_person_role(role: str) -> str:
    return _check(role, PERSON_ROLES, "role")


def check_sex(code: str) -> str:
    return _check(code, SEXES, "sex")
