"""The SSDA903 tables and their columns, as the DfE's specification names them.

A council's files are recognised by their header row, not their names (LCS and Mosaic name
them differently), so the columns are what identify a table.
"""

from __future__ import annotations

TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "Header": ("CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"),
    "Episodes": (
        "CHILD",
        "DECOM",
        "RNE",
        "LS",
        "CIN",
        "PLACE",
        "PLACE_PROVIDER",
        "DEC",
        "REC",
        "REASON_PLACE_CHANGE",
        "HOME_POST",
        "PL_POST",
        "URN",
    ),
    "Reviews": ("CHILD", "DOB", "REVIEW", "REVIEW_CODE"),
    "UASC": ("CHILD", "SEX", "DOB", "DUC"),
    "OC2": (
        "CHILD",
        "DOB",
        "SDQ_SCORE",
        "SDQ_REASON",
        "CONVICTED",
        "HEALTH_CHECK",
        "IMMUNISATIONS",
        "TEETH_CHECK",
        "HEALTH_ASSESSMENT",
        "SUBSTANCE_MISUSE",
        "INTERVENTION_RECEIVED",
        "INTERVENTION_OFFERED",
    ),
    "OC3": ("CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"),
    "AD1": (
        "CHILD",
        "DOB",
        "DATE_INT",
        "DATE_MATCH",
        "FOSTER_CARE",
        "NB_ADOPTR",
        "SEX_ADOPTR",
        "LS_ADOPTR",
    ),
    "PlacedAdoption": (
        "CHILD",
        "DOB",
        "DATE_PLACED",
        "DATE_PLACED_CEASED",
        "REASON_PLACED_CEASED",
    ),
    "PrevPerm": ("CHILD", "DOB", "PREV_PERM", "LA_PERM", "DATE_PERM"),
    "Missing": ("CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"),
}

# The second small file a council adds, since the 903 carries no names.
NAMES_COLUMNS: tuple[str, ...] = ("CHILD", "NAME")
NAMES_OPTIONAL: tuple[str, ...] = ("PREFERRED_NAME",)

# The tables the program reads into the caseload and writes for the return. The others are
# recognised (so a council's full set imports without complaint) and reported as not used.
IMPORTED_TABLES = ("Header", "Episodes", "Reviews", "UASC", "PlacedAdoption", "Missing")
EXPORTED_TABLES = IMPORTED_TABLES

DATE_FORMAT = "%d/%m/%Y"
