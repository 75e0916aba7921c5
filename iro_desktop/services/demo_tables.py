"""What the demo caseload is made of: invented names, code weights, and what reviews say.

The proportions come from the seeds; see iro_desktop.services.demo for the whole picture.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from iro_desktop.domain import review as rv
from iro_desktop.domain.review import ContactMethod, InviteeRole, ReviewStatus

FIRST_NAMES_F = [
    "Amira",
    "Bethany",
    "Chloe",
    "Daisy",
    "Ebony",
    "Freya",
    "Grace",
    "Hana",
    "Isla",
    "Jade",
    "Kayla",
    "Lily",
    "Maya",
    "Nadia",
    "Olivia",
    "Poppy",
    "Ruby",
    "Sophia",
    "Tia",
    "Zara",
    "Łucja",
    "Aisha",
    "Mia",
    "Evie",
]
FIRST_NAMES_M = [
    "Aaron",
    "Bilal",
    "Callum",
    "Dylan",
    "Ethan",
    "Finley",
    "George",
    "Harvey",
    "Isaac",
    "Jayden",
    "Kai",
    "Leo",
    "Mason",
    "Noah",
    "Oscar",
    "Reuben",
    "Samuel",
    "Tyler",
    "Yusuf",
    "Zain",
    "Dawit",
    "Tomasz",
    "Kofi",
    "Arlo",
]
# Invented surnames, so no demo child can be mistaken for a real one.
SURNAMES = [
    "Quillfeather",
    "Bramblecombe",
    "Puddleby",
    "Thistlewood",
    "Marrowby",
    "Fernhallow",
    "Larkspurr",
    "Oddington-Demo",
    "Wimbleford",
    "Pebbleworth",
    "Crumblewick",
    "Sorrelvane",
    "Duckerham",
    "Mossbottom",
    "Tumbleton",
    "Hazelquist",
    "Inkwellby",
    "Jollibrook",
    "Kettlewick",
    "Nettlefold",
    "Applewhistle",
    "Buttonsby",
    "Cobblestrand",
    "Dapplemere",
]
ETHNICITIES = [
    "White British",
    "White British",
    "White British",
    "White and Black Caribbean",
    "Black African",
    "Pakistani",
    "Any other White background",
    "White and Asian",
    "Black Caribbean",
    "Any other ethnic group",
]
UASC_ETHNICITIES = ["Black African", "Any other ethnic group", "Any other Asian background"]
LEGAL = [("C2", 58), ("C1", 14), ("V2", 16), ("E1", 8), ("J1", 1), ("L2", 1), ("V3", 2)]
PLACEMENTS = [
    ("U6", 30),
    ("U4", 22),
    ("U5", 3),
    ("U1", 6),
    ("U3", 8),
    ("K2", 11),
    ("P1", 5),
    ("H5", 6),
    ("A5", 3),
    ("R1", 2),
    ("S1", 2),
    ("K1", 1),
    ("Z1", 1),
]
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
PROVIDERS_IN = ["In-house fostering service", "Council children's home (Oakfield)"]
PROVIDERS_OUT = ["Independent fostering agency (Northway)", "Private children's home (Hilltop)"]
POSTCODES_IN = ["M14 5AA", "M22 9ZZ", "M40 3QQ", "M8 8XX"]
POSTCODES_OUT = ["CH1 4BJ", "LA9 6EX", "SK10 1AB", "LL11 2DD", "WA14 4AA", "IM1 3PP"]


def _weighted(rng: random.Random, table: list[tuple[str, int]]) -> str:
    return rng.choices([k for k, _ in table], weights=[w for _, w in table])[0]


def _date_between(rng: random.Random, a: date, b: date) -> date:
    if b <= a:
        return a
    return a + timedelta(days=rng.randint(0, (b - a).days))


# --- what the reviews say -----------------------------------------------------------------

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
# Days from one recording step to the next (recommendations count working days instead).
STEP_DAYS = {
    S.COMPLETED: (0, 1),
    S.LETTER_DRAFTED: (1, 8),
    S.SUBMITTED: (0, 3),
    S.APPROVED: (1, 5),
    S.ISSUED: (0, 2),
}

REARRANGE_REASONS = [
    "The social worker is on leave that week",
    "The young person asked to move it after their exams",
    "The foster carer has a hospital appointment",
    "Clash with a court hearing",
    "School trip on the planned day",
]
STAND_DOWN_REASONS = [
    "The social worker's report was not ready",
    "The care plan has not been formulated",
    "The child was unwell and wanted to be there",
    "The child had not been prepared for the review",
]
EXTRA_REASONS = [
    "Placement disruption: a new placement was made",
    "Change of care plan: permanence plan changed to long-term fostering",
    "IRO request after missing episodes",
]
VENUES = ["Foster home", "Children's home", "Family centre", "Library meeting room", "Video call"]
CONTACT_METHODS = [
    (ContactMethod.VISIT, 55),
    (ContactMethod.PHONE, 10),
    (ContactMethod.VIDEO, 10),
    (ContactMethod.MIND_OF_MY_OWN, 15),
    (ContactMethod.HAVE_YOUR_SAY, 10),
]
WORKING_WELL = [
    "Settled and happy where they live",
    "Going to school every day",
    "Enjoys football club on Saturdays",
    "Good relationship with their carer",
    "Family time with grandma is going well",
]
WORRIED = [
    "",
    "Missed two dental appointments",
    "Falling behind in maths",
    "Some arguments at home after family time",
    "",
]
NEXT_STEPS = [
    "Keep family time as it is",
    "Book the dentist",
    "Ask school about extra help",
    "Talk about the plan for next year",
]
# (action, owner's role, the same for the child); {name} is the child's first name.
LOOKED_AFTER_RECS = [
    (
        "Book {name}'s dental check-up and tell the IRO the date",
        "carer",
        "Your carer will book you a check-up at the dentist.",
    ),
    (
        "Update the PEP with the virtual school, adding a maths tutor for {name}",
        "education",
        "School will write down the extra help you will get with maths.",
    ),
    (
        "Complete the Strengths and Difficulties Questionnaire and send it to the nurse",
        "social_worker",
        "Your social worker will fill in a short form about how you are feeling.",
    ),
    (
        "Arrange family time with {name}'s brother every fortnight, starting this month",
        "social_worker",
        "You will see your brother every two weeks.",
    ),
    (
        "Refer {name} to the advocacy service and arrange a first visit",
        "social_worker",
        "Someone from the advocacy service will come to meet you.",
    ),
    (
        "Finish the life story book with {name} before the next review",
        "social_worker",
        "You and your social worker will finish your life story book.",
    ),
    (
        "Present the permanence plan to the next legal planning meeting",
        "team_manager",
        "The managers will meet to agree where you will grow up.",
    ),
]
PATHWAY_RECS = [
    (
        "Apply for the setting-up-home allowance with {name}",
        "personal_adviser",
        "Your PA will help you apply for money for your new home.",
    ),
    (
        "Support {name} to enrol on the college course starting in September",
        "personal_adviser",
        "Your PA will help you sign up for college.",
    ),
    (
        "Register {name} with a GP near the new flat",
        "personal_adviser",
        "Your PA will help you sign up with a doctor near your flat.",
    ),
]
VAGUE_REC = ("Continue to monitor school attendance", "all professionals", "")

_ROLE_KEYS = {
    "social_worker": ("sw", InviteeRole.SOCIAL_WORKER),
    "carer": ("carer", InviteeRole.CARER),
    "health": ("health", InviteeRole.HEALTH),
    "education": ("education", InviteeRole.EDUCATION),
    "advocate": ("advocate", InviteeRole.ADVOCATE),
    "independent_visitor": ("iv", InviteeRole.INDEPENDENT_VISITOR),
    "personal_adviser": ("pa", InviteeRole.PERSONAL_ADVISER),
}
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
