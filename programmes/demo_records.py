"""The synthetic records of the programmes demo, worked out in Python before anything is
written: where young people live, who they are, what happened after each referral, when
sessions were held and how many came; then written in bulk (save)."""

import math
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import accumulate

from django.utils import timezone

from programmes.demo_data import (
    AREA_WEIGHTS,
    CLOSING_NOTES,
    CONTACT_METHODS,
    FIRST_CONTACT_NOTES,
    FOLLOW_UP_NOTES,
    NEXT_STEPS,
    ProgrammeSpec,
    SessionPlan,
)
from programmes.models import (
    Contact,
    Outcome,
    Programme,
    Referral,
    SearchToken,
    StatusChange,
    YoungPerson,
    YoungPersonIdentity,
)
from programmes.services.notices import historical_before
from programmes.services.referrals import reference_for, temporary_reference
from programmes.services.search_index import search_tokens
from vru.fields import seal
from vru.models import LSOA, Partnership, User
from vru.selectors.areas import priority_lsoa_codes


def pick(rng: random.Random, weights: dict):
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def quota(weights: dict[int, float], n: int) -> list[int]:
    """`n` values in exactly the proportions of `weights` (largest remainder)."""
    total = sum(weights.values())
    exact = {k: n * w / total for k, w in weights.items()}
    counts = {k: math.floor(v) for k, v in exact.items()}
    short = n - sum(counts.values())
    for k in sorted(exact, key=lambda k: counts[k] - exact[k])[:short]:
        counts[k] += 1
    return [k for k, c in counts.items() for _ in range(c)]


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def born_for(rng: random.Random, age: int, on: date) -> date:
    """A date of birth that makes someone `age` on `on`."""
    latest = on.replace(year=on.year - age) if (on.month, on.day) != (2, 29) else on
    return latest - timedelta(days=rng.randrange(365))


def financial_year_start(day: date) -> date:
    return date(day.year if day.month >= 4 else day.year - 1, 4, 1)


def in_term(day: date) -> bool:
    """Roughly English school terms: no August, Christmas, Easter or half-term weeks."""
    md = (day.month, day.day)
    return not (
        day.month == 8
        or (md >= (7, 22) and day.month == 7)
        or md >= (12, 20)
        or md <= (1, 3)
        or (4, 1) <= md <= (4, 14)
        or (10, 24) <= md <= (10, 31)
        or (2, 14) <= md <= (2, 21)
        or (5, 25) <= md <= (5, 31)
    )


@dataclass
class Areas:
    """The partnership's neighbourhoods: where young people live (weighted to the priority
    and most deprived neighbourhoods) and the priority ones detached work goes to."""

    lsoas: dict[int, LSOA]
    priority: list[int]
    home_weights: dict[int, float]
    _homes: dict = field(default_factory=dict)

    @classmethod
    def of(cls, partnership: Partnership) -> "Areas":
        lsoas = {
            lsoa.pk: lsoa
            for lsoa in LSOA.objects.filter(partnership=partnership)
            .select_related("local_authority")
            .defer("boundary")
            .order_by("code")
        }
        codes = priority_lsoa_codes(partnership)
        # the most deprived of them first (they get the most detached youth work evenings)
        priority = sorted(
            (pk for pk, lsoa in lsoas.items() if lsoa.code in codes),
            key=lambda pk: -(lsoas[pk].imd_score or 0),
        )
        if not priority:  # no risk run yet: the most deprived neighbourhoods
            ranked = sorted(lsoas, key=lambda pk: (lsoas[pk].imd_decile or 10, lsoas[pk].code))
            priority = ranked[: max(1, len(ranked) // 20)]
        weights = {}
        for pk, lsoa in lsoas.items():
            decile = lsoa.imd_decile or 5
            factor = 6 if pk in priority else 3 if decile <= 2 else 1.6 if decile <= 4 else 1
            weights[pk] = (
                (lsoa.population or 1500) * factor * AREA_WEIGHTS.get(lsoa.local_authority.name, 1)
            )
        return cls(lsoas=lsoas, priority=priority, home_weights=weights)

    def in_areas(self, names: tuple[str, ...], pks) -> list[int]:
        if not names:
            return list(pks)
        return [pk for pk in pks if self.lsoas[pk].local_authority.name in names] or list(pks)

    def home(self, rng: random.Random, names: tuple[str, ...] = ()) -> int:
        if names not in self._homes:
            pks = self.in_areas(names, self.home_weights)
            self._homes[names] = (pks, list(accumulate(self.home_weights[pk] for pk in pks)))
        pks, cumulative = self._homes[names]
        return rng.choices(pks, cum_weights=cumulative)[0]


@dataclass
class Person:
    number: int
    gender: str
    ethnicity: str
    education: str
    home: int
    born: date
    first_name: str
    record: YoungPerson | None = None


@dataclass
class Plan:
    """One referral to be written: who, where, when, and what happened after."""

    spec: ProgrammeSpec
    programme: Programme
    person: Person
    event_at: datetime
    source: str
    reason: str
    from_contact: int | None = None
    referred_at: datetime | None = None
    first_contact_at: datetime | None = None
    engaged_at: datetime | None = None
    closed_at: datetime | None = None
    closure_reason: str = ""
    consent_by: str = ""
    contacts: list[tuple[datetime, str, int, str, str]] = field(default_factory=list)
    outcomes: list[tuple[str, date]] = field(default_factory=list)
    assigned_to: User | None = None

    @property
    def age(self) -> int:
        return age_on(self.person.born, timezone.localdate(self.event_at))

    @property
    def status(self) -> str:
        if self.closed_at:
            return Referral.Status.CLOSED
        if self.engaged_at:
            return Referral.Status.ENGAGED
        if self.first_contact_at:
            return Referral.Status.CONTACTED
        return Referral.Status.RECEIVED


def simulate(plan: Plan, rng: random.Random, now: datetime) -> None:
    """What happened after the referral: first contact (mostly within the target time),
    consent (parents for the youngest), engagement, closure, contacts and outcomes."""
    spec = plan.spec
    target = timedelta(hours=spec.target_hours)
    if plan.from_contact is not None:
        delay = timedelta(hours=rng.uniform(2, 36))
    elif spec.family == "custody":
        delay = timedelta(hours=rng.uniform(0.5, 6))
    elif spec.family == "hospital":
        delay = timedelta(hours=rng.uniform(0.2, 3))
    else:
        delay = timedelta(hours=rng.uniform(1, spec.target_hours * 0.4))
    plan.referred_at = min(plan.event_at + delay, now - timedelta(minutes=30))
    due = plan.event_at + target
    roll = rng.random()
    if roll < 0.05:
        first = None  # never reached
    elif roll < 0.05 + 0.95 * spec.on_time:
        room = max((due - plan.referred_at).total_seconds(), 1800)
        first = plan.referred_at + timedelta(seconds=rng.uniform(900, room * 0.95))
    else:
        first = due + timedelta(hours=rng.uniform(1, spec.target_hours * 2))
    if first is not None and first >= now:
        first = None
    plan.first_contact_at = first
    if first is None:
        if (now - plan.referred_at).days > 21:  # never reached: closed after chasing
            plan.closed_at = plan.referred_at + timedelta(days=rng.uniform(10, 21))
            plan.closure_reason = rng.choice(["declined", "declined", "moved"])
        return
    age = plan.age
    if age < spec.parents_consent_under or age < 13:
        plan.consent_by = "parent"
    elif age < 16:
        plan.consent_by = "parent" if rng.random() < 0.5 else "young_person"
    else:
        plan.consent_by = "young_person"
    engaged = rng.random() < 0.82
    if engaged:
        plan.engaged_at = first + timedelta(days=rng.uniform(2, 10))
        end = first + timedelta(weeks=rng.uniform(*spec.case_weeks))
        reason = pick(rng, {"completed": 72, "disengaged": 12, "moved": 5, "escalated": 11})
    else:
        end = first + timedelta(days=rng.uniform(7, 30))
        reason = rng.choice(["declined", "declined", "disengaged"])
    if plan.engaged_at and plan.engaged_at >= now:
        plan.engaged_at = None
    if end < now:
        plan.closed_at, plan.closure_reason = end, reason
    casework(plan, rng, now)


def casework(plan: Plan, rng: random.Random, now: datetime) -> None:
    spec = plan.spec
    methods = CONTACT_METHODS[spec.family]
    plan.contacts.append(
        (
            plan.first_contact_at,
            pick(rng, methods),
            rng.choice([20, 30, 45, 60]),
            rng.choice(FIRST_CONTACT_NOTES[spec.family]),
            rng.choice(NEXT_STEPS),
        )
    )
    end = plan.closed_at or now
    at = plan.engaged_at or plan.first_contact_at
    for _ in range(16):
        at += timedelta(days=rng.uniform(6, 15))
        if at >= end:
            break
        plan.contacts.append(
            (
                at,
                pick(rng, methods),
                rng.choice([30, 45, 60, 60, 90]),
                rng.choice(FOLLOW_UP_NOTES),
                rng.choice(NEXT_STEPS) if rng.random() < 0.6 else "",
            )
        )
    if plan.closed_at and plan.closure_reason in ("completed", "escalated", "moved"):
        plan.contacts.append(
            (plan.closed_at, "in_person", 45, CLOSING_NOTES[plan.closure_reason], "")
        )
    if plan.closure_reason == "completed":
        closed_on = timezone.localdate(plan.closed_at)
        for kind, share in spec.outcomes.items():
            if rng.random() >= share:
                continue
            achieved = closed_on + timedelta(days=183 if kind == "no_arrest_6m" else 0)
            if achieved <= timezone.localdate(now):
                plan.outcomes.append((kind, achieved))


def session_days(plan: SessionPlan, rng: random.Random, start: date, today: date) -> list[date]:
    """The days a programme's sessions were held, `per_week` a week (detached work on
    Thursday to Saturday evenings, groups Monday to Thursday; in term time for schools)."""
    days = []
    week = start - timedelta(days=start.weekday())
    evenings = [3, 4, 5] if plan.kind == "detached" else [0, 1, 2, 3]
    while week < today:
        n = int(plan.per_week) + (rng.random() < plan.per_week % 1)
        for weekday in sorted(rng.sample(evenings * 3, n)):
            day = week + timedelta(days=weekday)
            if start <= day < today and (not plan.term_time or in_term(day)):
                days.append(day)
        week += timedelta(weeks=1)
    return days


def head_counts(plan: SessionPlan, rng: random.Random) -> dict[tuple[str, str], int]:
    """The young people counted at a session, by age band and gender."""
    counts: dict[tuple[str, str], int] = {}
    for _ in range(rng.randint(*plan.size)):
        band = pick(rng, plan.bands)
        roll = rng.random()
        gender = "female" if roll < plan.female_share else "male" if roll < 0.98 else "not_said"
        counts[band, gender] = counts.get((band, gender), 0) + 1
    return counts


def save(partnership: Partnership, plans: list[Plan], rng: random.Random) -> None:
    """Write the young people, their identities (apart), referrals, status changes, contacts
    and outcomes in bulk, as they would have been recorded at the time."""
    people = {}
    for plan in plans:
        person = plan.person
        if person.record is None:
            person.record = YoungPerson(
                partnership=partnership,
                reference=temporary_reference(),
                gender=person.gender,
                ethnicity=person.ethnicity,
                home_lsoa_id=person.home,
                education_status=person.education,
            )
            people[id(person)] = person
    records = [p.record for p in people.values()]
    YoungPerson.objects.bulk_create(records, batch_size=2000)
    for record in records:
        record.reference = reference_for(record.pk)
    YoungPerson.objects.bulk_update(records, ["reference"], batch_size=2000)
    YoungPersonIdentity.objects.bulk_create(
        [
            YoungPersonIdentity(
                young_person=p.record,
                first_name=p.first_name,
                last_name=f"Demo-{p.number:05d}",
                date_of_birth=p.born,
                address=f"{p.number % 97 + 1} Example Street, Nowhere",
                postcode="ZZ99 9ZZ",
                match_index=YoungPersonIdentity.index_for(
                    p.first_name, f"Demo-{p.number:05d}", p.born
                ),
            )
            for p in people.values()
        ],
        batch_size=2000,
    )
    SearchToken.objects.bulk_create(
        search_tokens(
            (p.record.pk, p.first_name, f"Demo-{p.number:05d}", p.born) for p in people.values()
        ),
        batch_size=5000,
    )
    plans.sort(key=lambda p: p.referred_at)
    # records of past work, like a historical import: nobody is told of cases long past
    long_past = historical_before(timezone.now())
    referrals = []
    for plan in plans:
        spec = plan.spec
        referrals.append(
            Referral(
                partnership=partnership,
                programme=plan.programme,
                young_person=plan.person.record,
                source=plan.source,
                reason=plan.reason,
                event_at=plan.event_at,
                referred_at=plan.referred_at,
                due_at=Referral.due_for(plan.event_at, spec.target_hours),
                first_contact_at=plan.first_contact_at,
                consent_given_by=plan.consent_by,
                consent_given_at=plan.first_contact_at if plan.consent_by else None,
                assigned_to=plan.assigned_to,
                status=plan.status,
                closure_reason=plan.closure_reason if plan.closed_at else "",
                status_changed_at=plan.closed_at
                or plan.engaged_at
                or plan.first_contact_at
                or plan.referred_at,
                awaiting_contact=plan.first_contact_at is None and plan.closed_at is None,
                closed_at=plan.closed_at,
                age_at_referral=plan.age,
                lsoa_id=plan.person.home,
                risk_factors=rng.sample(list(spec.risk_factors), min(2, len(spec.risk_factors))),
                protective_factors=rng.sample(
                    list(spec.protective_factors), min(1, len(spec.protective_factors))
                ),
                from_detached_contact_id=plan.from_contact,
                historical=Referral.due_for(plan.event_at, spec.target_hours) < long_past,
            )
        )
    Referral.objects.bulk_create(referrals, batch_size=2000)
    changes, contacts, outcomes = [], [], []
    for plan, referral in zip(plans, referrals, strict=True):
        steps = [("", "received", plan.referred_at)]
        if plan.first_contact_at:
            steps.append(("received", "contacted", plan.first_contact_at))
        if plan.engaged_at:
            steps.append(("contacted", "engaged", plan.engaged_at))
        if plan.closed_at:
            steps.append((steps[-1][1], "closed", plan.closed_at))
        changes += [
            StatusChange(
                referral=referral,
                from_status=before,
                to_status=after,
                changed_at=at,
                closure_reason=plan.closure_reason if after == "closed" else "",
            )
            for before, after, at in steps
        ]
        contacts += [
            Contact(
                referral=referral,
                occurred_at=at,
                method=method,
                duration_minutes=minutes,
                notes=notes,
                next_step=next_step,
                recorded_by=plan.assigned_to,
            )
            for at, method, minutes, notes, next_step in plan.contacts
        ]
        outcomes += [
            Outcome(referral=referral, kind=kind, achieved_on=on, recorded_by=plan.assigned_to)
            for kind, on in plan.outcomes
        ]
    StatusChange.objects.bulk_create(changes, batch_size=2000)
    # bulk_create sends no post_save: the notes are bound to their rows' new ids here
    seal(Contact.objects.bulk_create(contacts, batch_size=2000))
    seal(Outcome.objects.bulk_create(outcomes, batch_size=2000))
