"""The kinds of personal data the product holds, each with its lawful basis and retention:
the one register that the retention task, information-sharing agreements, subject access
bundles and the privacy pages all read, so that the rules and the words cannot drift apart.

A kind's retention is counted from the event its `retention_from` names (a case's closure, a
round's close, ...); settings may lengthen or shorten a period (`VRU_RETENTION_MONTHS`, a dict
of kind -> months) but never remove it. The daily retention per kind (rights) applies every
kind here through the app that owns the data.

Sign-in records (SIGN_IN) are kept 13 months, the span UK public bodies commonly keep
security logs for: long enough to look back over a whole year of an account's use.

Monitoring returns' case studies (CASE_STUDIES) are kept 24 months from the return falling
due (or from its sending, if later): long enough for the year's reporting the return feeds
(the grant's monitoring, the annual review of the strategy and the needs assessment's
refresh) and the next year's look back; the return's figures, which are about no one, stay.

Detached contacts' summaries (a youth worker's note of a conversation with a young person
whose name was not taken) are case notes (CASE_NOTES): the same words, basis and period,
counted from the session (or, for a contact that became a referral, from that case closing).
So are the issues raised noted on a session (what young people raised, in a worker's words),
counted from the session.

Rights requests (RIGHTS_REQUEST: who asked, their words, how their identity was checked, the
reasons written on the request, and the reason each redaction of the answer's copy was made,
as the audit trail records it) are kept 36 months after the request was answered: long
enough to answer a complaint to the ICO or a claim about how it was handled, and to recognise
a repeated request; the request's dates and status stay after that, so that the partnership
can still show each request was answered within its deadline. The copy of a young person's
records gathered to answer a request is no kind of its own: it is deleted far sooner, a
number of days after the answer (VRU_SAR_COPY_DAYS; rights.services.request_copies_expire).

For case data (identity, referral and offence details, case notes, outcome scores) a programme
may keep its cases for less than the register's period, never longer: each case goes at the
earlier of the kind's period here and its programme's own (`Programme.retention_months`).
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import models

# UK GDPR Article 6 bases used here (a public authority's tasks rest on (e), not consent).
PUBLIC_TASK = (
    "Article 6(1)(e): a task carried out in the public interest (the Serious Violence Duty)"
)
LEGITIMATE_INTERESTS = "Article 6(1)(f): legitimate interests (running a fair grants process)"
CONSENT = "Article 6(1)(a): consent"
SECURITY = "Article 6(1)(c): a legal obligation (UK GDPR Article 32: keeping the processing secure)"
RIGHTS_DUTY = (
    "Article 6(1)(c): a legal obligation (UK GDPR Articles 12 and 15 to 17: answering "
    "requests; Article 5(2): being able to show they were answered)"
)
# Data Protection Act 2018 Schedule 1 conditions for criminal-offence and special-category data
STATUTORY_PURPOSES = "DPA 2018 Schedule 1 paragraph 6: statutory and government purposes"
SAFEGUARDING = "DPA 2018 Schedule 1 paragraph 18: safeguarding of children and individuals at risk"


class DataKind(models.TextChoices):
    IDENTITY = "identity", "Identity (name, date of birth, address)"
    REFERRAL = "referral", "Referral and offence details"
    CASE_NOTES = "case_notes", "Case notes and contacts"
    OUTCOME_SCORES = "outcome_scores", "Outcome scores"
    SESSION_ATTENDANCE = "session_attendance", "Session attendance by name"
    LISTENING = "listening", "Listening responses"
    REVIEWER = "reviewer", "Youth reviewers' details and scores"
    APPLICANT = "applicant", "Applicants' contact details"
    SIGN_IN = "sign_in", "Sign-in records (usernames, addresses, browsers)"
    CASE_STUDIES = "case_studies", "Monitoring returns' case studies"
    RIGHTS_REQUEST = "rights_request", "Rights requests (who asked, and how it was checked)"


@dataclass(frozen=True)
class KindRule:
    kind: DataKind
    lawful_basis: str
    condition: str  # Article 9 or 10 condition; "" where the data is neither
    retention_months: int
    retention_from: str
    # In plain words, for the privacy pages
    young_people: str
    staff: str


RULES: dict[DataKind, KindRule] = {
    rule.kind: rule
    for rule in [
        KindRule(
            DataKind.IDENTITY,
            PUBLIC_TASK,
            SAFEGUARDING,
            72,
            "the last of the young person's cases closing",
            "Your name, date of birth and address, kept apart from everything else and seen "
            "only by the workers on your case.",
            "Held encrypted apart from the case under a pseudonymous reference; every read is audited.",
        ),
        KindRule(
            DataKind.REFERRAL,
            PUBLIC_TASK,
            STATUTORY_PURPOSES,
            72,
            "the case closing",
            "Why you were referred to us, for example an arrest, and what happened next.",
            "Criminal-offence data (UK GDPR Article 10): the referral, its reason and source.",
        ),
        KindRule(
            DataKind.CASE_NOTES,
            PUBLIC_TASK,
            SAFEGUARDING,
            72,
            "the case closing (for a talk with a youth worker in the street, with no name "
            "taken: the day of the talk)",
            "Notes your worker writes when you meet or talk, and notes a youth worker writes "
            "when they talk with you in the street without taking your name.",
            "Contacts and their notes, encrypted at rest; detached sessions' contacts' "
            "summaries (a conversation with a young person whose name was not taken), "
            "encrypted at rest too, counted from the session, or from the case's closing for "
            "a contact that became a referral; the issues raised noted on a group or detached "
            "session, counted from the session. At the end of the period the notes go; when, "
            "how, a detached contact's age band and gender, and a session's place and "
            "headcounts stay.",
        ),
        KindRule(
            DataKind.OUTCOME_SCORES,
            PUBLIC_TASK,
            "",
            72,
            "the case closing",
            "The answers you give on questionnaires about how things are going.",
            "Scores on the evaluation's instruments, linked to the case; at the end of the "
            "period the answers item by item go and the totals stay on the pseudonymous case "
            "for the evaluation's before-and-after figures.",
        ),
        KindRule(
            DataKind.SESSION_ATTENDANCE,
            PUBLIC_TASK,
            "",
            36,
            "the session",
            "That you came to a group session.",
            "Named attendance at group sessions.",
        ),
        KindRule(
            DataKind.LISTENING,
            PUBLIC_TASK,
            "",
            36,
            "the listening project closing",
            "What you told us in a listening project; we publish only what many people said.",
            "Listening responses; published only as themes and protected counts.",
        ),
        KindRule(
            DataKind.REVIEWER,
            LEGITIMATE_INTERESTS,
            "",
            24,
            "the grant round closing",
            "If you sit on a youth panel: your name and the scores you gave.",
            "Youth reviewers' accounts and scores; at the end of the period the comments go "
            "(with the comments a decision quoted, and the panel's written feedback on older "
            "decisions), the scores are kept without the reviewer's name, and an account with "
            "no later round is anonymised.",
        ),
        KindRule(
            DataKind.APPLICANT,
            LEGITIMATE_INTERESTS,
            "",
            72,
            "the grant round closing",
            "",
            "Applicants' contact names, e-mail addresses and phone numbers, the files they "
            "attach to applications, and the accounts applicants sign in with; at the end of "
            "the period the files go, the contact details go from the application and its "
            "decision letter, "
            "and from the organisation once its last application's period ends (its name, "
            "numbers and address stay); an applicant's account with no application still "
            "within the period, and not used within it, is anonymised.",
        ),
        KindRule(
            DataKind.SIGN_IN,
            SECURITY,
            "",
            13,
            "the sign-in, the failed attempt or the session's last use",
            "",
            "For everyone who signs in: each sign-in and failed attempt (the username, the "
            "network address and the browser), each signed-in session (address, browser, "
            "when it began and was last used), and the address and browser on each entry of "
            "the audit trail, kept to protect the accounts and investigate misuse. At the end "
            "of the period the sign-in records and ended sessions are deleted and the audit "
            "trail's entries lose the address and browser (who did what, and when, stays); "
            "a lockout still in force and a session still signed in are kept.",
        ),
        KindRule(
            DataKind.CASE_STUDIES,
            PUBLIC_TASK,
            STATUTORY_PURPOSES,
            24,
            "the funded group's report to us (its monitoring return) fell due, or was sent if "
            "that was later",
            "If a group we fund works with you, the story it may tell us about how it went "
            "(it is asked not to use your name).",
            "Case studies in funded projects' monitoring returns: a project's story of the "
            "young people it worked with. The form asks for no names, but a story may still "
            "identify someone, and may tell of offending or health. At the end of the period "
            "the story goes; the return's figures (young people reached, sessions, spend) "
            "stay.",
        ),
        KindRule(
            DataKind.RIGHTS_REQUEST,
            RIGHTS_DUTY,
            "",
            36,
            "the answer to the request (sent, refused or closed)",
            "If you, or someone for you, ask to see, fix or delete what we keep: who asked, "
            "what they asked for and how we checked who they were. We keep a note of when "
            "you asked and when we answered.",
            "Subject access, correction and erasure requests: the requester's name and words, "
            "how their identity was checked, and the reasons written on the request (among "
            "them why each thing was redacted from the copy sent, which may name the person "
            "it protects). At the end of the period these go; the young person's pseudonymous reference, the kind "
            "of request, the requester's relationship, its dates and its status stay, to show "
            "it was answered in time. The records gathered to answer a request are deleted "
            "soon after it is answered (see below).",
        ),
    ]
}


def rule_for(kind: str) -> KindRule:
    return RULES[DataKind(kind)]


def retention_months(kind: str) -> int:
    """The kind's period, as settings may set it for a deployment."""
    overrides = getattr(settings, "VRU_RETENTION_MONTHS", {}) or {}
    return int(overrides.get(str(kind), rule_for(kind).retention_months))
