"""What demo records say, by the child's age on the day: no maths for a toddler, no nursery
for a fifteen-year-old, no pathway plan before 16.

Each row is (youngest, oldest, ...): it may be used when the child's age on the date of the
note is in that range. Pathway plan review rows are for 18 and over.
"""

from __future__ import annotations

import random
from typing import TypeVar

from iro_desktop.domain.review import Topic

Row = TypeVar("Row", bound=tuple)  # type: ignore[type-arg]
ADULT = 25

# (youngest, oldest, what is working well, what we are worried about, what needs to happen)
TOPIC_NOTES: dict[Topic, list[tuple[int, int, str, str, str]]] = {
    Topic.HEALTH: [
        (0, 1, "Feeding well and gaining weight", "Waking a lot at night since the move",
         "Health visitor to help the carer with a bedtime routine"),
        (0, 4, "Immunisations are up to date", "",
         "Carer to keep the red book up to date"),
        (1, 3, "Developmental check done with the health visitor",
         "Missed the two-year developmental check", "Carer to rebook the developmental check"),
        (3, 17, "Dental check-up done this year", "Missed two dental appointments",
         "Carer to book the dentist"),
        (5, 17, "Health assessment done on time", "Still waiting for a CAMHS appointment",
         "Social worker to chase the CAMHS referral"),
        (12, 17, "Talks to the looked after children nurse when worried",
         "Has started vaping with friends", "Nurse to talk with them about healthy choices"),
        (18, ADULT, "Registered with a GP near home", "Not registered with a dentist",
         "Register with a dentist near the flat"),
    ],
    Topic.EDUCATION: [
        (0, 1, "Enjoys the baby group the carer takes them to", "",
         "Carer to look at a funded nursery place from age two"),
        (2, 4, "Settled at nursery and plays well with others", "Speech is a little behind",
         "Nursery to refer to speech and language therapy"),
        (3, 4, "Early years PEP done with the nursery", "",
         "Apply for a reception place for September"),
        (5, 10, "Going to school every day", "Falling behind with reading",
         "Virtual school to fund extra reading support through the PEP"),
        (7, 15, "Enjoys maths and science", "Falling behind in maths",
         "Ask school about extra help in maths"),
        (11, 15, "Settled at secondary school", "Two short exclusions this term",
         "Designated teacher to arrange a mentor"),
        (14, 16, "On track for GCSE English and maths", "Worried about the GCSE exams",
         "Virtual school to fund GCSE revision sessions"),
        (16, 17, "Started a college course", "Attendance at college has dropped",
         "College tutor and social worker to agree an attendance plan"),
    ],
    Topic.PLACEMENT_STABILITY: [
        (0, 17, "Settled and happy where they live", "", "Keep things as they are"),
        (0, 4, "A close bond with the carer", "Unsettled for a few weeks after the move",
         "Carer to keep the daily routine the same"),
        (5, 17, "Good relationship with the carer", "Some arguments at home after family time",
         "Supervising social worker to visit the carer"),
        (12, 17, "Feels listened to at home", "Coming home later than agreed",
         "Carer and young person to agree times to be home"),
    ],
    Topic.FAMILY_TIME: [
        (0, 4, "Family time with mum at the family centre is going well",
         "Mum missed two sessions", "Social worker to review the family time plan"),
        (0, 17, "Sees their brother every fortnight", "", "Keep family time as it is"),
        (5, 17, "Family time with grandma is going well", "Upset after phone calls with dad",
         "Social worker to talk with dad about the calls"),
        (12, 17, "Arranges to see mum with the social worker's help",
         "Meeting family without telling anyone", "Agree a safe plan for seeing family"),
    ],
    Topic.IDENTITY: [
        (0, 4, "Life story book started with photos from birth", "",
         "Social worker to add photos from family time to the life story book"),
        (5, 17, "Proud of their family's culture; the carer cooks food from home", "",
         "Keep going to the community events they enjoy"),
        (5, 12, "Knows in simple words why they live with the carer",
         "Has questions about why they cannot live at home", "Social worker to do life story work"),
        (12, 17, "Wants to know more about their dad's side of the family", "",
         "Social worker to find family photos and stories with them"),
    ],
    Topic.EMOTIONAL_WELLBEING: [
        (0, 3, "Happy and smiley, meeting milestones", "Upset at bedtime",
         "Carer to keep the routine the health visitor suggested"),
        (4, 16, "Strengths and Difficulties score better than last time",
         "Strengths and Difficulties score is high", "Social worker to send the SDQ to the nurse"),
        (11, 17, "Talks to the carer when upset", "Low mood and not sleeping well",
         "Referral to CAMHS for some support"),
    ],
    Topic.LEGAL_STATUS_AND_COURT: [
        (0, 17, "Everyone understands the legal plan", "",
         "Social worker to share any court dates with the IRO"),
    ],
    Topic.PERMANENCE_PLAN: [
        (0, 17, "Permanence plan agreed", "", "Present the plan at the next permanence panel"),
        (0, 17, "Everyone agrees where the child will grow up", "No permanence plan yet",
         "Team manager to agree the plan before the next review"),
    ],
    Topic.PATHWAY_PLAN: [
        (16, 17, "Pathway plan written with the young person", "",
         "Social worker to update the pathway plan after the review"),
        (16, 17, "Knows who their personal adviser will be",
         "Pathway plan not updated since the move", "Update the pathway plan this month"),
    ],
    Topic.ADVOCACY_OFFERED: [
        (0, 4, "The carer and social worker speak up for them", "",
         "Offer an advocate when they are older"),
        (5, 17, "Knows what an advocate does; happy with the support they have", "",
         "Remind them they can ask for an advocate"),
        (8, 17, "Met an advocate from the advocacy service", "", "Advocate to help them get ready for the next review"),
    ],
    Topic.INDEPENDENT_VISITOR_CONSIDERED: [
        (0, 4, "Not needed now: regular family time", "", "Consider again at the next review"),
        (5, 17, "Would like an independent visitor", "", "Social worker to refer to the IV scheme"),
    ],
    Topic.KNOWS_HOW_TO_COMPLAIN: [
        (0, 4, "The carer knows how to raise a concern for them", "", "No action needed"),
        (5, 10, "Knows to tell the carer or the IRO if unhappy", "",
         "IRO to leave the 'Who can help me' card"),
        (11, 17, "Has the Children's Rights leaflet and knows how to complain", "",
         "No action needed"),
    ],
    Topic.COMMUNICATION_NEEDS: [
        (0, 2, "Babbling and responds to their name", "", "No action needed"),
        (2, 17, "No extra communication needs", "", "No action needed"),
    ],
    Topic.ACCOMMODATION: [
        (18, ADULT, "Settled in the flat", "Rent arrears building up",
         "PA to help set up a payment plan"),
        (18, ADULT, "Staying put with the former foster carers", "",
         "Plan the next move with the carers"),
    ],
    Topic.EDUCATION_EMPLOYMENT_TRAINING: [
        (18, ADULT, "At college three days a week", "Not in work, college or training",
         "PA to look at apprenticeships with them"),
    ],
    Topic.MONEY: [
        (18, ADULT, "Managing the setting-up-home allowance well",
         "Universal Credit payments delayed", "PA to help with the Universal Credit claim"),
    ],
    Topic.RELATIONSHIPS: [
        (18, ADULT, "Keeps in touch with the former foster carers", "Feeling lonely since the move",
         "PA to find a care leavers' group nearby"),
    ],
    Topic.PERSONAL_ADVISER: [
        (18, ADULT, "Sees their PA every month", "The PA changed twice this year",
         "Keep monthly contact with the PA"),
    ],
    Topic.STAYING_PUT: [
        (18, ADULT, "Knows about staying put", "", "No action needed"),
    ],
}  # fmt: skip
# What the legal status note says, by status (the same for every age it applies to).
LEGAL_NOTES: dict[str, tuple[str, str, str]] = {
    "C1": ("Care proceedings on track with the court timetable", "Final hearing delayed",
           "Social worker to share the new court date with the IRO"),
    "C2": ("Care order in place; no court proceedings", "", "No action needed"),
    "E1": ("Placement order made", "", "Keep the IRO updated on matching"),
    "V2": ("Parents agree to the child being looked after (section 20)", "",
           "Social worker to check parents' consent is still informed"),
    "J1": ("Next court date for the remand is set", "", "Youth justice worker to attend the review"),
}  # fmt: skip

MEETING_NOTES: list[tuple[int, int, str]] = [
    (0, 3, "{name} was there with their carer and played happily during the meeting."),
    (4, 7, "{name} drew a picture about home and family time."),
    (8, 15, "{name} talked about school and family time."),
    (16, 17, "{name} talked about college and the pathway plan."),
    (18, ADULT, "{name} talked about the flat, money and college."),
]
VISIT_NOTES: list[tuple[int, int, str]] = [
    (0, 1, "Saw {name} with the carer; feeding and sleeping well."),
    (0, 4, "Saw {name} at home; happy, playing and well cared for."),
    (2, 4, "Saw {name} at home; talked with the carer about nursery."),
    (5, 10, "Saw {name} at home; we talked about school and friends."),
    (11, 15, "Saw {name} on their own; talked about school and family time."),
    (16, 17, "Saw {name} on their own; talked about college and moving on."),
]
# What the child told us for the review, in their own words: (youngest, oldest, words, how
# they said it, a ViewSource value). Quoted back to them in the letter ("What you told me").
CHILD_WORDS: list[tuple[int, int, str, str]] = [
    (4, 7, "I like my bedroom and I like it when my carer reads me stories.", "in_meeting"),
    (4, 7, "I want to see my brother more.", "to_iro"),
    (4, 9, "I want to stay here with my carer.", "in_meeting"),
    (8, 12, "I like my school and my friends.", "consultation_form"),
    (8, 12, "I want to see my mum more often.", "mind_of_my_own"),
    (8, 14, "I don't want the meeting at school, people stare.", "to_iro"),
    (10, 17, "I want to choose who comes to my review.", "in_meeting"),
    (13, 17, "I want to stay where I am until I finish my GCSEs.", "in_meeting"),
    (13, 17, "I'd like more time with my brother, not just on Saturdays.", "mind_of_my_own"),
    (16, 17, "I'm worried about moving out when I turn 18.", "to_iro"),
    (18, ADULT, "I want help to sort out my money so I don't fall behind on rent.", "in_meeting"),
    (18, ADULT, "I'm happy in my flat but it gets lonely.", "to_iro"),
    (18, ADULT, "College is going OK. I need help finding a part-time job.", "consultation_form"),
]
# (youngest, oldest, action, owner's role, the same for the child); {name}: known-as name.
RECOMMENDATIONS: list[tuple[int, int, str, str, str]] = [
    (1, 17, "Book {name}'s dental check-up and tell the IRO the date", "carer",
     "Your carer will book you a check-up at the dentist."),
    (0, 2, "Book {name}'s developmental check with the health visitor", "carer",
     "Your carer will take you for your check with the health visitor."),
    (2, 4, "Apply for {name}'s funded nursery place and add it to the early years PEP",
     "social_worker", "Your social worker will find you a place at nursery."),
    (6, 15, "Update the PEP with the virtual school, adding a maths tutor for {name}",
     "education", "School will write down the extra help you will get with maths."),
    (4, 16, "Complete the Strengths and Difficulties Questionnaire and send it to the nurse",
     "social_worker", "Your social worker will fill in a short form about how you are feeling."),
    (0, 17, "Arrange family time with {name}'s brother every fortnight, starting this month",
     "social_worker", "You will see your brother every two weeks."),
    (8, 17, "Refer {name} to the advocacy service and arrange a first visit", "social_worker",
     "Someone from the advocacy service will come to meet you."),
    (0, 12, "Finish the life story book with {name} before the next review", "social_worker",
     "You and your social worker will finish your life story book."),
    (0, 17, "Present the permanence plan to the next legal planning meeting", "team_manager",
     "The managers will meet to agree where you will grow up."),
    (14, 16, "Ask the virtual school to fund GCSE revision sessions for {name}", "education",
     "School will arrange extra help before your exams."),
    (16, 17, "Update {name}'s pathway plan with them before the next review", "social_worker",
     "Your social worker will write your pathway plan with you."),
    (16, 17, "Help {name} open a bank account and get a copy of their birth certificate",
     "carer", "Your carer will help you open a bank account."),
    (18, ADULT, "Apply for the setting-up-home allowance with {name}", "personal_adviser",
     "Your PA will help you apply for money for your new home."),
    (18, ADULT, "Support {name} to enrol on the college course starting in September",
     "personal_adviser", "Your PA will help you sign up for college."),
    (18, ADULT, "Register {name} with a GP near the new flat", "personal_adviser",
     "Your PA will help you sign up with a doctor near your flat."),
]  # fmt: skip
# A recommendation that is not SMART, for the checks to find (about 1 in 20 reviews).
VAGUE_RECS: list[tuple[int, int, str]] = [
    (0, 4, "Continue to monitor progress"),
    (5, 17, "Continue to monitor school attendance"),
    (18, ADULT, "Continue to support with independence"),
]
REARRANGE_REASONS: list[tuple[int, int, str]] = [
    (0, ADULT, "The social worker is on leave that week"),
    (0, 17, "Clash with a court hearing"),
    (0, 17, "The carer has a hospital appointment"),
    (5, 15, "School trip on the planned day"),
    (15, 17, "The young person asked to move it after their exams"),
    (18, ADULT, "The young person starts a new job that week"),
]
STAND_DOWN_REASONS: list[tuple[int, int, str]] = [
    (0, ADULT, "The social worker's report was not ready"),
    (0, 17, "The care plan has not been formulated"),
    (4, ADULT, "Unwell on the day and wanted to be there"),
    (4, 17, "The child had not been prepared for the review"),
]
EXTRA_REASONS: list[tuple[int, int, str]] = [
    (0, 17, "Placement disruption: a new placement was made"),
    (0, 17, "Change of care plan: permanence plan changed to long-term fostering"),
    (11, 17, "IRO request after missing episodes"),
    (18, ADULT, "Change of plan: the young person is moving to a new flat"),
    (18, ADULT, "The young person asked for an earlier review"),
]
VENUES_BY_PLACEMENT: dict[str, tuple[str, ...]] = {
    "U": ("Foster home", "Family centre", "Video call"),
    "K": ("Children's home", "Library meeting room", "Video call"),
    "A": ("Adoptive home", "Family centre"),
    "P": ("Family home", "Family centre"),
    "S": ("Residential school", "Video call"),
    "": ("Family centre", "Library meeting room", "Video call"),
}
PATHWAY_VENUES = ("Leaving care team office", "Café near the flat", "Video call")


def for_age(rows: list[Row], age: int) -> list[Row]:
    """The rows usable at this age (never empty for the tables above)."""
    return [r for r in rows if r[0] <= age <= r[1]]


def pick(rng: random.Random, rows: list[Row], age: int) -> Row:
    return rng.choice(for_age(rows, age))


def topic_note(
    rng: random.Random, topic: Topic, age: int, legal_status: str
) -> tuple[str, str, str]:
    """(working well, worried about, needs to happen) for a topic at this age."""
    if topic is Topic.LEGAL_STATUS_AND_COURT and legal_status in LEGAL_NOTES:
        return LEGAL_NOTES[legal_status]
    rows = for_age(TOPIC_NOTES[topic], age) or for_age(TOPIC_NOTES[topic], min(age, 17))
    _, _, well, worried, nxt = rng.choice(rows)
    if worried and rng.random() < 0.4:
        worried, nxt = "", "Keep things as they are"  # nothing worrying this time
    return well, worried, nxt
