"""What the demo caseload is made of: invented names, code weights, and review proportions.

The proportions come from the seeds; see iro_desktop.services.demo for the whole picture.
What people write (notes by age) is in demo_phrases; placements and providers in demo_places.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from iro_desktop.domain import review as rv
from iro_desktop.domain.calendar import WorkingCalendar
from iro_desktop.domain.review import ContactMethod, InviteeRole, ReviewStatus

# First names and the short forms people really use for them. A preferred name is only ever
# one of these (or blank), so the demo never shows "Beth" for Amira or "Zai" for Zain.
NICKNAMES: dict[str, tuple[str, ...]] = {
    "Abigail": ("Abi", "Abbie"),
    "Alexandra": ("Alex", "Lexi"),
    "Bethany": ("Beth",),
    "Charlotte": ("Charlie", "Lottie"),
    "Eleanor": ("Ellie", "Nell"),
    "Elizabeth": ("Lizzie", "Beth"),
    "Grace": ("Gracie",),
    "Jessica": ("Jess",),
    "Katherine": ("Kate", "Katie"),
    "Olivia": ("Liv", "Livvy"),
    "Rebecca": ("Becky", "Becca"),
    "Sophia": ("Sophie",),
    "Victoria": ("Tori", "Vicky"),
    "Łucja": ("Lucy",),
    "Zofia": ("Zosia",),
    "Amira": ("Mira",),
    "Kayla": ("Kay",),
    "Alexander": ("Alex", "Xander"),
    "Benjamin": ("Ben", "Benji"),
    "Callum": ("Cal",),
    "Daniel": ("Dan", "Danny"),
    "Finley": ("Finn",),
    "Isaac": ("Zac",),
    "Jayden": ("Jay",),
    "Joseph": ("Joe", "Joey"),
    "Matthew": ("Matt",),
    "Oscar": ("Ozzy",),
    "Samuel": ("Sam", "Sammy"),
    "Thomas": ("Tom", "Tommy"),
    "Tyler": ("Ty",),
    "William": ("Will", "Billy"),
    "Jacob": ("Jake",),
    "Tomasz": ("Tomek", "Tom"),
    "Jakub": ("Kuba",),
    "Mohamed": ("Mo",),
    "Ibrahim": ("Ibby",),
}
FIRST_NAMES_F = [
    "Abigail", "Alexandra", "Bethany", "Charlotte", "Chloe", "Daisy", "Eleanor", "Elizabeth",
    "Evie", "Freya", "Grace", "Isla", "Jade", "Jessica", "Katherine", "Kayla", "Lily", "Mia",
    "Olivia", "Poppy", "Rebecca", "Ruby", "Sophia", "Victoria",
]  # fmt: skip
FIRST_NAMES_M = [
    "Aaron", "Alexander", "Arlo", "Benjamin", "Callum", "Daniel", "Dylan", "Ethan", "Finley",
    "George", "Harvey", "Isaac", "Jacob", "Jayden", "Joseph", "Leo", "Mason", "Matthew", "Noah",
    "Oscar", "Samuel", "Thomas", "Tyler", "William",
]  # fmt: skip
# Names more often given in some communities, used for about half of those children.
NAMES_BY_ETHNICITY: dict[str, tuple[list[str], list[str]]] = {
    "APKN": (["Aisha", "Amira", "Hana", "Zara", "Nadia"], ["Bilal", "Ibrahim", "Yusuf", "Zain"]),
    "ABAN": (["Aisha", "Nadia", "Hana"], ["Ibrahim", "Yusuf", "Zain"]),
    "AIND": (["Anika", "Maya", "Priya"], ["Arjun", "Rohan", "Dev"]),
    "BAFR": (["Amara", "Abena", "Nadia"], ["Kofi", "Kwame", "Tobi"]),
    "WOTH": (["Łucja", "Zofia", "Maja"], ["Tomasz", "Jakub", "Filip"]),
}
# Unaccompanied children: where they come from, the ethnicity code, the language and names.
UASC_ORIGINS: list[tuple[int, str, tuple[str, ...], list[str], list[str]]] = [
    (25, "BAFR", ("Tigrinya",), ["Dawit", "Yonas", "Filmon"], ["Semhar", "Luwam"]),
    (20, "BAFR", ("Arabic",), ["Mohamed", "Ahmed", "Omer"], ["Amna"]),
    (25, "AOTH", ("Pashto", "Dari"), ["Ahmad", "Farid", "Wahid", "Jawad"], ["Mariam"]),
    (12, "OOTH", ("Kurdish (Sorani)",), ["Karwan", "Rebwar", "Aram"], ["Shilan"]),
    (8, "AOTH", ("Vietnamese",), ["Minh", "Tuan"], ["Linh"]),
    (10, "WOTH", ("Albanian",), ["Ardit", "Klevis", "Endri"], ["Elira"]),
]
# Children looked after by ethnicity, roughly as in England's published figures.
ETHNICITY_WEIGHTS = [
    ("WBRI", 640), ("WIRI", 8), ("WOTH", 50), ("WIRT", 6), ("WROM", 8), ("MWBC", 40),
    ("MWBA", 20), ("MWAS", 20), ("MOTH", 30), ("AIND", 8), ("APKN", 30), ("ABAN", 10),
    ("AOTH", 10), ("BCRB", 20), ("BAFR", 40), ("BOTH", 10), ("CHNE", 3), ("OOTH", 20),
    ("NOBT", 2),
]  # fmt: skip
# A first language other than English, by ethnicity: (chance, languages).
OTHER_LANGUAGES: dict[str, tuple[float, tuple[str, ...]]] = {
    "WOTH": (0.4, ("Polish", "Romanian", "Lithuanian")),
    "WROM": (0.3, ("Romani", "Romanian")),
    "APKN": (0.12, ("Urdu", "Punjabi")),
    "ABAN": (0.15, ("Bengali",)),
    "BAFR": (0.12, ("Somali", "Arabic")),
    "CHNE": (0.3, ("Cantonese",)),
}
# Invented surnames, so no demo child can be mistaken for a real one.
SURNAMES = [
    "Quillfeather", "Bramblecombe", "Puddleby", "Thistlewood", "Marrowby", "Fernhallow",
    "Larkspurr", "Oddington-Demo", "Wimbleford", "Pebbleworth", "Crumblewick", "Sorrelvane",
    "Duckerham", "Mossbottom", "Tumbleton", "Hazelquist", "Inkwellby", "Jollibrook",
    "Kettlewick", "Nettlefold", "Applewhistle", "Buttonsby", "Cobblestrand", "Dapplemere",
]  # fmt: skip
SOCIAL_WORKERS = ["Sam", "Priya", "Tom", "Nia", "Ollie", "Farah", "Gus", "Rhian"]
# Category of need for children who are not UASC (N8 "absent parenting" is mostly UASC).
CATEGORY_OF_NEED = [
    ("N1", 66), ("N3", 3), ("N4", 8), ("N5", 15), ("N6", 1), ("N7", 1), ("N8", 1),
]  # fmt: skip
# Why placements end (REASON_PLACE_CHANGE), most often to carry out the care plan.
MOVE_REASONS = [
    ("CARPL", 40), ("CREQB", 14), ("CREQO", 10), ("CHILD", 8), ("LAREQ", 7), ("STAND", 4),
    ("ALLEG", 3), ("CLOSE", 3), ("OTHER", 8),
]  # fmt: skip
# Manchester 2018/19 participation, over children aged 4 and over (PN0 is decided by age).
PN_OVER_4 = [
    ("PN1", 428),
    ("PN2", 10),
    ("PN3", 5),
    ("PN4", 4),
    ("PN5", 223),
    ("PN6", 278),
    ("PN7", 43),
]


def _weighted(rng: random.Random, table: list[tuple[str, int]]) -> str:
    return rng.choices([k for k, _ in table], weights=[w for _, w in table])[0]


def _date_between(rng: random.Random, a: date, b: date) -> date:
    if b <= a:
        return a
    return a + timedelta(days=rng.randint(0, (b - a).days))


def add_years(d: date, years: int) -> date:
    """The same day `years` later; 29 February becomes 1 March (UK practice for birthdays)."""
    try:
        return d.replace(year=d.year + years)
    except ValueError:
        return date(d.year + years, 3, 1)


# --- the reviews --------------------------------------------------------------------------

S = ReviewStatus
# The first children of every demo between them show every state a review can be in.
SHOWCASE = (
    S.PLANNED,
    S.PREPARING,
    S.HELD,
    S.COMPLETED,
    S.RECOMMENDATIONS_ISSUED,
    S.LETTER_DRAFTED,
    S.SUBMITTED,
    S.APPROVED,
    S.ISSUED,
    S.STOOD_DOWN,
)
# Days since the last review's first meeting for a showcase child in each recording state.
RECENT_AGE = {
    S.HELD: 12,
    S.COMPLETED: 4,
    S.RECOMMENDATIONS_ISSUED: 9,
    S.LETTER_DRAFTED: 14,
    S.SUBMITTED: 20,
    S.APPROVED: 25,
}
NOT_HELD = (S.PLANNED, S.PREPARING, S.STOOD_DOWN)
PROGRESS_AFTER_HELD = rv.PROGRESS[rv.PROGRESS.index(S.COMPLETED) :]
# Working days from one recording step to the next (recommendations have their own rule).
STEP_DAYS = {
    S.COMPLETED: (0, 1),
    S.LETTER_DRAFTED: (1, 6),
    S.SUBMITTED: (0, 2),
    S.APPROVED: (1, 4),
    S.ISSUED: (0, 2),
}
# How the IRO saw the child before the review, by age: a baby is visited, not messaged.
CONTACT_METHODS = [
    (ContactMethod.VISIT, 55, 0),
    (ContactMethod.PHONE, 10, 11),
    (ContactMethod.VIDEO, 10, 8),
    (ContactMethod.MIND_OF_MY_OWN, 15, 8),
    (ContactMethod.HAVE_YOUR_SAY, 10, 5),
]

_ROLE_KEYS = {
    "social_worker": ("sw", InviteeRole.SOCIAL_WORKER),
    "carer": ("carer", InviteeRole.CARER),
    "health": ("health", InviteeRole.HEALTH),
    "education": ("education", InviteeRole.EDUCATION),
    "advocate": ("advocate", InviteeRole.ADVOCATE),
    "independent_visitor": ("iv", InviteeRole.INDEPENDENT_VISITOR),
    "personal_adviser": ("pa", InviteeRole.PERSONAL_ADVISER),
}
# The youngest age at a review for each role to be invited: no designated teacher for a
# baby, no advocate or independent visitor for a toddler, a personal adviser from 16.
_ROLE_FROM_AGE = {"education": 2, "advocate": 5, "independent_visitor": 5, "personal_adviser": 16}
# How often each kind of person came (seeds: parents about 35%, young people at pathway
# reviews 61%); the rest sent views or apologies.
_CAME = {
    InviteeRole.SOCIAL_WORKER: 0.88,
    InviteeRole.CARER: 0.8,
    InviteeRole.PARENT: 0.35,
    InviteeRole.HEALTH: 0.2,
    InviteeRole.EDUCATION: 0.3,
    InviteeRole.ADVOCATE: 0.5,
    InviteeRole.INDEPENDENT_VISITOR: 0.4,
    InviteeRole.PERSONAL_ADVISER: 0.9,
}


def on_or_before(calendar: WorkingCalendar, d: date) -> date:
    """The last working day on or before d."""
    while not calendar.is_working_day(d):
        d -= timedelta(days=1)
    return d


def working_near(
    rng: random.Random,
    calendar: WorkingCalendar,
    d: date,
    lowest: date = date.min,
    highest: date = date.max,
    spread: int = 3,
) -> date | None:
    """d if it is a working day, else one of the working days within `spread` days of it
    (at random, so weekend dates do not pile up on Fridays and Mondays), kept within
    lowest..highest; None when there is none."""
    if lowest <= d <= highest and calendar.is_working_day(d):
        return d
    options = [
        day
        for k in range(-spread, spread + 1)
        if lowest <= (day := d + timedelta(days=k)) <= highest and calendar.is_working_day(day)
    ]
    return rng.choice(options) if options else None
