"""The programmes demo: each partnership's own programmes (programmes.demo_data), two years
of synthetic referrals, casework and sessions shaped like the real work, relative to the day
the demo is loaded.

The shapes (README, "The demo"): referral ages follow the Essex SNA's curve of serious
violence (rising from 12, peaking at 15, a second rise at 17); about 15% of young people are
referred more than once; each practitioner holds 15 to 25 open cases; parents consent for the
youngest; first contacts mostly, not always, within the target time; detached youth work
meets young people in the risk index's priority neighbourhoods, and some of the anonymous
contacts are referred on later.

Names are clearly fictional ("Demo-00042"); a fixed seed per partnership gives every load the
same shape. The programmes are made through the service (audited); the synthetic history
(referrals, contacts, sessions) is written directly, as it would have been recorded at the
time. Idempotent: a partnership that has programmes is left alone.
"""

import random
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from programmes import services
from programmes.demo_data import (
    BEDFORDSHIRE,
    DETACHED_CONTACT_SUMMARIES,
    DETACHED_ISSUES,
    EDUCATION,
    ESSEX,
    ETHNICITY,
    FIRST_NAMES,
    HISTORY_DAYS,
    REPEAT_SHARE,
    THIRD_REFERRAL_SHARE,
    ProgrammeSpec,
)
from programmes.demo_records import (
    Areas,
    Person,
    Plan,
    age_on,
    born_for,
    financial_year_start,
    head_counts,
    pick,
    quota,
    save,
    session_days,
    simulate,
)
from programmes.models import (
    DetachedContact,
    Programme,
    ProgrammeStaff,
    Session,
    SessionCount,
    YoungPerson,
)
from vru import demo as core_demo
from vru.fields import seal
from vru.models import LocalAuthority, Partnership, Recommendation, Role, User

PARTNERSHIPS = [("essex-vvp", "essex", ESSEX), ("bedfordshire-veru", "beds", BEDFORDSHIRE)]
OPEN_CASES_EACH = 20  # what a practitioner holds (each ends up with 15 to 25)
# Share of anonymous detached contacts referred on later (to a programme that takes them).
DETACHED_REFERRED = 0.06


class PartnershipDemo:
    def __init__(self, partnership: Partnership, prefix: str, specs: list[ProgrammeSpec]):
        self.partnership = partnership
        self.prefix = prefix
        self.specs = specs
        self.rng = random.Random(f"programmes-{partnership.slug}")  # noqa: S311 - synthetic
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.start = self.now - timedelta(days=HISTORY_DAYS)
        self.areas = Areas.of(partnership)
        self.programmes: dict[str, Programme] = {}
        self.holders: dict[str, list[User]] = {}
        self.made_sessions: list[Session] = []
        self.people: list[Person] = []
        self.plans: list[Plan] = []
        self.next_number = (
            YoungPerson.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        ) + 1

    # --- the programmes -----------------------------------------------------------------

    def make_programmes(self) -> None:
        numbers = {}
        for rec in Recommendation.objects.filter(
            needs_assessment__partnership=self.partnership
        ).order_by("needs_assessment__period_start", "number"):
            numbers[rec.number] = rec  # the latest needs assessment's, if there are several
        authorities = {
            la.name: la for la in LocalAuthority.objects.filter(partnership=self.partnership)
        }
        starts_on = financial_year_start(self.start.date())
        for spec in self.specs:
            target = self.areas.in_areas(spec.eligible_areas, self.areas.priority)
            programme = services.programme_create(
                actor=None,
                partnership=self.partnership,
                name=spec.name,
                kind=spec.kind,
                description=spec.description,
                delivering_organisation=spec.delivering_organisation,
                prevention_stage=spec.prevention_stage,
                yef_approach=spec.yef_approach,
                referral_target_hours=spec.target_hours,
                min_age=spec.min_age,
                max_age=spec.max_age,
                eligible_reasons=list(spec.eligible_reasons),
                risk_factors=list(spec.risk_factors),
                protective_factors=list(spec.protective_factors),
                budget=spec.budget,
                starts_on=starts_on,
                target_lsoas=[self.areas.lsoas[pk] for pk in target],
                recommendations=[numbers[n] for n in spec.recommendations if n in numbers],
            )
            programme.eligible_local_authorities.set(
                [authorities[name] for name in spec.eligible_areas if name in authorities]
            )
            self.programmes[spec.name] = programme

    # --- who is referred, when ------------------------------------------------------------

    def new_person(self, age: int, on: date, *, home=None, gender=None, spec=None) -> Person:
        rng = self.rng
        if gender is None:
            roll = rng.random()
            male = spec.male_share if spec else 0.65
            gender = "male" if roll < male else "female" if roll < 0.985 else "non_binary"
        home = home or self.areas.home(rng, spec.eligible_areas if spec else ())
        area = self.areas.lsoas[home].local_authority.name
        stage = "under16" if age < 16 else "16to17" if age < 18 else "adult"
        names = FIRST_NAMES.get(gender, FIRST_NAMES["other"])
        person = Person(
            number=self.next_number + len(self.people),
            gender=gender,
            ethnicity=pick(rng, ETHNICITY.get(area, ETHNICITY["default"])),
            education=pick(rng, EDUCATION[stage]),
            home=home,
            born=born_for(rng, age, on),
            first_name=rng.choice(names),
        )
        self.people.append(person)
        return person

    def event_time(self, day: date, family: str) -> datetime:
        rng = self.rng
        if family in ("custody", "hospital"):
            hour = rng.choice([14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 0, 1, 2])
        else:
            hour = rng.randint(8, 17)
        moment = datetime.combine(day, time(hour, rng.randrange(60)))
        return min(timezone.make_aware(moment), self.now - timedelta(hours=1))

    def first_referrals(self) -> None:
        rng = self.rng
        span = (self.now - self.start).days
        for spec in self.specs:
            if not spec.per_year:
                continue
            n = round(spec.per_year * HISTORY_DAYS / 365)
            curve = {a: w for a, w in spec.age_curve.items() if spec.min_age <= a <= spec.max_age}
            ages = quota(curve, n)
            rng.shuffle(ages)
            for age in ages:
                day = (self.start + timedelta(days=rng.uniform(0, span))).date()
                event_at = self.event_time(day, spec.family)
                person = self.new_person(age, timezone.localdate(event_at), spec=spec)
                self.plans.append(self.plan(spec, person, event_at))

    def plan(self, spec: ProgrammeSpec, person: Person, event_at: datetime, **kw) -> Plan:
        return Plan(
            spec=spec,
            programme=self.programmes[spec.name],
            person=person,
            event_at=event_at,
            source=kw.pop("source", None) or pick(self.rng, spec.sources),
            reason=pick(self.rng, spec.reasons),
            **kw,
        )

    def repeats(self) -> None:
        """About 15% of young people are referred again (a few a third time): to the same
        programme or another that takes their age, months after the first referral."""
        rng = self.rng
        takes = [s for s in self.specs if s.per_year]
        firsts = {}
        for plan in self.plans:
            firsts.setdefault(id(plan.person), plan)
        candidates = [p for p in firsts.values() if (self.now - p.event_at).days > 120]
        rng.shuffle(candidates)
        wanted = round(REPEAT_SHARE * len(firsts))
        thirds = round(THIRD_REFERRAL_SHARE * len(firsts))
        made = 0
        for first in candidates:
            if made >= wanted:
                break
            second = self.again(first, takes)
            if second is None:
                continue
            made += 1
            self.plans.append(second)
            if made <= thirds and (third := self.again(second, takes)) is not None:
                self.plans.append(third)

    def again(self, earlier: Plan, takes: list[ProgrammeSpec]) -> Plan | None:
        rng = self.rng
        room = (self.now - earlier.event_at).days - 14
        if room < 60:
            return None
        day = (earlier.event_at + timedelta(days=rng.uniform(60, min(room, 420)))).date()
        age = age_on(earlier.person.born, day)
        options = [earlier.spec] if rng.random() < 0.55 else takes
        fits = [s for s in options if s.min_age <= age <= s.max_age] or [
            s for s in takes if s.min_age <= age <= s.max_age
        ]
        if not fits:
            return None
        spec = rng.choice(fits)
        return self.plan(spec, earlier.person, self.event_time(day, spec.family))

    # --- what happened after ------------------------------------------------------------

    # --- sessions -------------------------------------------------------------------------

    def sessions(self) -> tuple[int, list[tuple[DetachedContact, Session]]]:
        rng = self.rng
        sessions, rows = [], []
        for spec in self.specs:
            plan = spec.sessions
            if plan is None:
                continue
            programme = self.programmes[spec.name]
            if plan.kind == "detached":
                # the most deprived priority neighbourhoods get the most evenings
                places = self.areas.in_areas(spec.eligible_areas, self.areas.priority)
                weights = [1 / (1 + i / 8) for i in range(len(places))]
            else:
                places = self.areas.in_areas(
                    spec.eligible_areas,
                    [pk for pk, lsoa in self.areas.lsoas.items() if (lsoa.imd_decile or 10) <= 4]
                    or list(self.areas.lsoas),
                )
                weights = [1] * len(places)
            for day in session_days(plan, rng, self.start.date(), self.today):
                lsoa = self.areas.lsoas[rng.choices(places, weights=weights)[0]]
                issues = ""
                if plan.kind == "detached" and rng.random() < 0.85:
                    issues = " ".join(rng.sample(DETACHED_ISSUES, rng.choice([1, 1, 2])))
                session = Session(
                    programme=programme,
                    kind=plan.kind,
                    held_on=day,
                    place=f"{rng.choice(plan.places)} ({lsoa.name})",
                    lsoa=lsoa,
                    issues_raised=issues,
                )
                sessions.append(session)
                rows.append((session, head_counts(plan, rng), plan))
        Session.objects.bulk_create(sessions, batch_size=1000)
        SessionCount.objects.bulk_create(
            [
                SessionCount(session=s, age_band=band, gender=gender, count=n)
                for s, counts, _ in rows
                for (band, gender), n in counts.items()
            ],
            batch_size=2000,
        )
        self.made_sessions = sessions
        contacts = []
        for session, counts, plan in rows:
            for _ in range(rng.randint(*plan.contacts) if plan.kind == "detached" else 0):
                band, gender = rng.choice(list(counts))
                contacts.append(
                    (
                        DetachedContact(
                            session=session,
                            age_band=band,
                            gender=gender,
                            summary=rng.choice(DETACHED_CONTACT_SUMMARIES),
                        ),
                        session,
                    )
                )
        seal(DetachedContact.objects.bulk_create([c for c, _ in contacts], batch_size=2000))
        return len(sessions), contacts

    def session_staff(self, staff: list[User]) -> None:
        """Two youth workers on each session, taking turns."""
        if not staff:
            return
        through = Session.staff.through
        rows = []
        for i, session in enumerate(self.made_sessions):
            pair = {staff[i % len(staff)].pk, staff[(i + 1) % len(staff)].pk}
            rows += [through(session_id=session.pk, user_id=pk) for pk in pair]
        through.objects.bulk_create(rows, batch_size=2000)

    def referred_from_street(self, contacts: list[tuple[DetachedContact, Session]]) -> None:
        """Some anonymous contacts become referrals a few days later (a programme that
        takes them and their age): "later referred"."""
        rng = self.rng
        takes = [s for s in self.specs if s.takes_detached_contacts]
        if not takes:
            return
        ages = {"10-13": (12, 13), "14-17": (14, 17), "18-24": (18, 19)}
        for contact, session in contacts:
            if rng.random() >= DETACHED_REFERRED or contact.age_band not in ages:
                continue
            day = session.held_on + timedelta(days=rng.randint(1, 6))
            if day >= self.today:
                continue
            age = rng.randint(*ages[contact.age_band])
            fits = [s for s in takes if s.min_age <= age <= s.max_age]
            if not fits:
                continue
            spec = rng.choice(fits)
            gender = contact.gender if contact.gender in ("male", "female") else None
            person = self.new_person(age, day, home=session.lsoa_id, gender=gender, spec=spec)
            self.plans.append(
                self.plan(
                    spec,
                    person,
                    self.event_time(day, "group"),
                    source="community",
                    from_contact=contact.pk,
                )
            )

    # --- who holds the cases ------------------------------------------------------------

    def practitioners(self) -> list[User]:
        """Enough practitioners for OPEN_CASES_EACH open cases each: the open cases, in
        programme order, are shared out evenly (so each practitioner holds 15 to 25, mostly
        in one programme), and each programme's closed cases go to its practitioners."""
        order = {spec.name: i for i, spec in enumerate(self.specs)}
        open_plans = sorted(
            (p for p in self.plans if p.closed_at is None),
            key=lambda p: (order[p.spec.name], p.event_at),
        )
        n = max(1, round(len(open_plans) / OPEN_CASES_EACH))
        users = []
        for i in range(n):
            suffix = "practitioner" if i == 0 else f"practitioner{i + 1}"
            users.append(
                User.objects.filter(username=f"{self.prefix}.{suffix}").first()
                or core_demo.demo_user(
                    username=f"{self.prefix}.{suffix}",
                    partnership=self.partnership,
                    role=Role.PRACTITIONER,
                    first_name=FIRST_NAMES["other"][i % len(FIRST_NAMES["other"])],
                    last_name=f"Practitioner {i + 1}",
                )
            )
        holders: dict[str, list[User]] = {}
        for i, plan in enumerate(open_plans):
            user = users[i * n // len(open_plans)]
            plan.assigned_to = user
            if user not in holders.setdefault(plan.spec.name, []):
                holders[plan.spec.name].append(user)
        turn = 0
        for plan in self.plans:
            if plan.assigned_to is None:
                pool = holders.get(plan.spec.name) or users
                plan.assigned_to = pool[turn % len(pool)]
                holders.setdefault(plan.spec.name, pool)
                turn += 1
        self.holders = holders
        return users

    # --- writing it down ----------------------------------------------------------------

    def staff(self, manager: User | None, session_staff: list[User]) -> None:
        rows = []
        for spec in self.specs:
            programme = self.programmes[spec.name]
            if manager is not None:
                rows.append(ProgrammeStaff(programme=programme, user=manager, role="manager"))
            members = list(self.holders.get(spec.name, []))
            if spec.sessions is not None:
                members += [u for u in session_staff if u not in members]
            rows += [
                ProgrammeStaff(programme=programme, user=u, role="practitioner") for u in members
            ]
        ProgrammeStaff.objects.bulk_create(rows, ignore_conflicts=True)

    def load(self) -> str:
        self.make_programmes()
        self.first_referrals()
        self.repeats()
        n_sessions, contacts = self.sessions()
        self.referred_from_street(contacts)
        for plan in self.plans:
            simulate(plan, self.rng, self.now)
        users = self.practitioners()
        # youth workers of the programmes that take street contacts go out on the sessions
        session_staff = [
            u for s in self.specs if s.takes_detached_contacts for u in self.holders.get(s.name, [])
        ][:3] or users[-2:]
        self.session_staff(session_staff)
        save(self.partnership, self.plans, self.rng)
        self.staff(User.objects.filter(username=f"{self.prefix}.manager").first(), session_staff)
        times = {}
        for plan in self.plans:
            times[id(plan.person)] = times.get(id(plan.person), 0) + 1
        repeated = sum(1 for n in times.values() if n > 1)
        open_cases = sum(1 for p in self.plans if p.closed_at is None)
        return (
            f"Programmes: {self.partnership.short_name}: {len(self.specs)} programmes, "
            f"{len(self.plans)} referrals of {len(times)} young people "
            f"({100 * repeated / max(1, len(times)):.0f}% referred more than once), "
            f"{n_sessions} sessions, {len(users)} practitioners with {open_cases} open cases"
        )


def load_demo() -> list[str]:
    lines = []
    for slug, prefix, specs in PARTNERSHIPS:
        partnership = Partnership.objects.filter(slug=slug).first()
        if partnership is None:
            continue
        if Programme.objects.filter(partnership=partnership).exists():
            lines.append(f"Programmes: {partnership.short_name}: already loaded.")
            continue
        with transaction.atomic():
            lines.append(PartnershipDemo(partnership, prefix, specs).load())
    return lines
