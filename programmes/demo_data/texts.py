"""The words the synthetic records use: first names, contact methods and case notes."""

FIRST_NAMES = {
    "male": [
        "Alfie", "Bilal", "Callum", "Daniel", "Ethan", "Harvey", "Ibrahim", "Jayden",
        "Kai", "Leon", "Mason", "Nathan", "Owen", "Reece", "Tyler", "Zain",
    ],
    "female": [
        "Amelia", "Bella", "Chloe", "Demi", "Ella", "Grace", "Hana", "Isla",
        "Jasmine", "Leah", "Maya", "Nia", "Poppy", "Sofia", "Tia", "Zara",
    ],
    "other": ["Alex", "Charlie", "Frankie", "Jordan", "Morgan", "Riley", "Sam", "Sky"],
}  # fmt: skip


CONTACT_METHODS = {
    "custody": {"in_person": 6, "phone": 3, "home_visit": 2, "message": 1},
    "hospital": {"in_person": 7, "phone": 3, "message": 2},
    "family": {"home_visit": 6, "in_person": 3, "phone": 2},
    "school": {"in_person": 8, "phone": 1},
    "exploitation": {"in_person": 5, "home_visit": 3, "phone": 2, "message": 2},
    "group": {"in_person": 7, "phone": 2, "message": 1},
}


# Case notes: synthetic, no names; each says what a practitioner would write.
FIRST_CONTACT_NOTES = {
    "custody": [
        "Saw YP in custody with the appropriate adult; explained the programme and what happens next.",
        "Phoned after release; mum answered and passed the phone to YP. Agreed to meet at the youth centre.",
        "Met YP at the police station before interview; quiet, said they carried it 'for protection'.",
        "First visit at home with a parent present; talked about the night of the arrest and who was there.",
        "Met in custody; YP worried about what school will say. Agreed to talk again tomorrow.",
    ],
    "hospital": [
        "Met YP on the ward after the wound was dressed; did not want to talk about who did it.",
        "Spoke in A&E with an older sibling present; YP agreed we could call once home.",
        "Brief chat in the cubicle; YP says it was a fight over something online.",
        "Met in the emergency department; YP frightened of going back to the same area.",
    ],
    "family": [
        "First home visit: parent and young person; talked through what the school has noticed.",
        "Met the family at school with the head of year; agreed a plan around attendance.",
        "Phoned the parent to introduce the service; home visit booked for next week.",
        "Home visit: younger siblings present; mum worried about the older friends YP has made.",
    ],
    "school": [
        "Met in school with the pastoral lead; talked about what has been going wrong in lessons.",
        "First session in school; keen on the outdoor day, less keen on talking.",
        "Introductory meeting with the pupil and head of year about attendance and suspensions.",
    ],
    "exploitation": [
        "Met YP after a return-home interview; had been missing two nights. Did not say where.",
        "Joint visit with the social worker; talked about the new phone and who bought it.",
        "Met at school; YP said older boys pay them to 'hold things'. Shared with the safeguarding lead.",
        "Phoned YP after the referral; agreed to meet at a café away from their area.",
    ],
    "group": [
        "Met YP at the session; came along with two friends from the estate.",
        "First one-to-one after the group session; wants help getting on a course.",
        "Referred by the youth worker who met YP on the street; first proper chat today.",
    ],
}


FOLLOW_UP_NOTES = [
    "Went to the boxing session together; stayed for the whole hour.",
    "Talked about college options and filled in the application form.",
    "Missed the appointment; followed up by text and rebooked for Thursday.",
    "Reviewed the safety plan: avoids the park after dark, knows who to call.",
    "Met with mum; things calmer at home this week.",
    "Went through what happens at court and who will be there.",
    "Talked about anger and what helps YP calm down; practised the steps.",
    "Caught up at school; attendance up this half term.",
    "YP quiet today; said a friend had been stabbed. Gave space and checked in later.",
    "Helped with a CV and a trial shift at the café.",
    "Joint meeting with the social worker to agree next steps.",
    "Talked about the people YP spends time with and which of them they trust.",
    "Did not want to meet in person; short phone call, agreed to try again next week.",
    "Took part in the outdoor learning day; worked well with the group.",
    "Checked in after the weekend; no new incidents reported.",
    "Spoke about music production; signed up to the studio sessions.",
    "Worked on a plan for getting to college on time.",
    "Discussed the risks of carrying and what to do if offered a knife.",
]


NEXT_STEPS = [
    "Meet again next week",
    "Book college open day",
    "Call mum on Friday",
    "Check in after the weekend",
    "Go to the boxing session together",
    "Refer on to the mentoring project",
    "Review the safety plan in two weeks",
    "Meet at school on Tuesday",
]


CLOSING_NOTES = {
    "completed": "Closing review: goals met; knows how to get back in touch.",
    "declined": "Did not want support at this time; information about the service left with the family.",
    "disengaged": "No response to calls, texts or visits for four weeks; case closed with a letter.",
    "moved": "Family moved out of the area; details passed to the local service.",
    "escalated": "Concerns escalated to children's social care; strategy meeting held.",
}


DETACHED_ISSUES = [
    "Nowhere to go in the evenings since the youth club closed.",
    "Older lads hanging around the station; younger ones feel pushed out.",
    "Talk about a fight after school last week; some say people are carrying.",
    "Complaints about the streetlights being out along the path by the shops.",
    "Group asked about football on Friday nights; we said we would ask the council.",
    "Vapes and cannabis being sold near the park; some of the group are 13.",
    "Police moved the group on twice tonight; they feel they are always blamed.",
    "Girls said they do not feel safe walking home through the underpass.",
    "A lot of talk about a video shared online; tension between two estates.",
    "Quiet night; cold, small group. Handed out information about the boxing club.",
    "Some of the group are not in school; asked about college courses.",
    "Young people asked for somewhere warm that is theirs; the café closes at six.",
    "Heard that a younger boy has been running errands for older teenagers.",
    "Good conversation about knives and what happens if you get caught.",
    "Group upset about a friend who was arrested; talked about the support offered after an arrest.",
    "New faces tonight: they have just moved to the area and know nobody.",
    "Rain; only a few about. Checked the bus station and the parade.",
    "Lots of questions about jobs; gave out details of the apprenticeships fair.",
    "Asked about the skate park lights staying on later in the winter.",
    "Mental health came up a lot: exams, home, money worries.",
]


DETACHED_CONTACT_SUMMARIES = [
    "Talked about being excluded and having nothing to do in the day.",
    "Worried about a friend who has gone quiet and has new clothes and money.",
    "Asked how to get on a boxing course.",
    "Said they were threatened on the way home last week.",
    "Wants help with a CV and finding work.",
    "Has been missing school; arguments at home.",
    "Said older boys offered lifts and gifts; gave information about staying safe.",
    "Asked what happens if you are caught with cannabis.",
    "Looking for somewhere to play football in the evenings.",
    "Talked about feeling down and not sleeping; gave details of the youth counselling service.",
    "Friend was stabbed last month; still angry and scared.",
    "Asked if we could help a younger brother who has been hanging around with older lads.",
]
