"""Fair reach: each group's share of the young people referred against its share of the
area's population of the same ages, the ratio and its 95% interval (Katz), every figure
worked out again here from the records; small groups are too few to say; unknowns are
counted and left out of the ratios; outside the partnership the counts are published ones."""

import csv
import datetime
import io
import math

import pytest

from finance.models import PopulationFigure
from finance.selectors import fair_reach, katz_interval
from finance.selectors.fair_reach import MIN_REFERRED, TOO_FEW
from finance.selectors.return_records import PERSON_KIND
from programmes.models import Referral, YoungPerson
from tests.factories import LocalAuthorityFactory, ProgrammeFactory, ReferralFactory, UserFactory
from vru.models import Role
from vru.selectors import disclosure

pytestmark = pytest.mark.django_db

TZ = datetime.UTC
BANDS = {"u10": 120, "10-13": 50, "14-17": 60, "18-24": 90, "25+": 700}  # per group and sex
# people per (ethnic group, sex) in every band, before the band's weight above
GROUPS = {"white": 10, "white_other": 1, "asian": 2, "black": 1, "mixed": 1, "other": 1}


def at(month, day, year=2025):
    return datetime.datetime(year, month, day, 12, tzinfo=TZ)


def referral(programme, *, age, gender, ethnicity, when=None, same_as=None):
    when = when or at(5, 1)
    made = ReferralFactory(programme=programme, event_at=when, referred_at=when)
    Referral.objects.filter(pk=made.pk).update(age_at_referral=age)
    if same_as is not None:
        Referral.objects.filter(pk=made.pk).update(young_person=same_as)
        return made
    YoungPerson.objects.filter(pk=made.young_person_id).update(gender=gender, ethnicity=ethnicity)
    return made


@pytest.fixture
def officer(partnership):
    return UserFactory(partnership=partnership, roles=[Role.GRANTS_OFFICER])


@pytest.fixture
def population(partnership):
    """Two local authorities, by band and sex, White split into British and other."""
    for area_weight, area in ((1, LocalAuthorityFactory(partnership=partnership)), (3, None)):
        if area is None:
            area = LocalAuthorityFactory(partnership=partnership)
        for band, band_people in BANDS.items():
            for group, group_weight in GROUPS.items():
                ethnic_group = "white_british" if group == "white" else group
                for sex, sex_weight in (("female", 1), ("male", 2)):
                    PopulationFigure.objects.create(
                        partnership=partnership,
                        local_authority=area,
                        source="ONS Census 2021 (test)",
                        year=2021,
                        age_band=band,
                        sex=sex,
                        ethnic_group=ethnic_group,
                        people=area_weight * band_people * group_weight * sex_weight,
                    )


@pytest.fixture
def records(partnership):
    programme = ProgrammeFactory(partnership=partnership, name="ReRoute")
    other = ProgrammeFactory(partnership=partnership, name="Mentoring")
    made = []
    plan = [
        ("white", "female", 8),
        ("white", "male", 12),
        ("asian", "male", 12),
        ("black", "female", 4),
        ("black", "male", 6),
        ("mixed", "male", 3),  # too few to say
        ("not_said", "male", 2),
        ("not_known", "not_said", 1),
    ]
    for ethnicity, gender, n in plan:
        for i in range(n):
            made.append(
                referral(programme, age=15 if i % 2 else 19, gender=gender, ethnicity=ethnicity)
            )
    # referred twice in the quarter: one young person
    referral(programme, age=19, gender="male", ethnicity="white", same_as=made[0].young_person)
    # outside the quarter, and to another programme
    referral(programme, age=16, gender="female", ethnicity="black", when=at(8, 1))
    referral(other, age=16, gender="female", ethnicity="asian")
    return programme


def expected(partnership, programme, start, end):
    """Every figure again, straight from the records and the stored population."""
    people = {}
    for r in Referral.objects.filter(
        programme=programme, referred_at__range=(start, end)
    ).select_related("young_person"):
        people[r.young_person_id] = r.young_person
    by_group, by_sex = {}, {}
    for person in people.values():
        by_group[person.ethnicity] = by_group.get(person.ethnicity, 0) + 1
        by_sex[person.gender] = by_sex.get(person.gender, 0) + 1
    figures = PopulationFigure.objects.filter(
        partnership=partnership, age_band__in=["14-17", "18-24"]
    )
    population = {}
    sex_population = {}
    for f in figures:
        group = "white" if f.ethnic_group in {"white_british", "white_other"} else f.ethnic_group
        population[group] = population.get(group, 0) + f.people
        sex_population[f.sex] = sex_population.get(f.sex, 0) + f.people
    return people, by_group, by_sex, population, sex_population


def katz(a, n, pg, p):
    r = (a / n) / (pg / p)
    se = math.sqrt(1 / a - 1 / n + 1 / pg - 1 / p)
    return r, r * math.exp(-1.959963984540054 * se), r * math.exp(1.959963984540054 * se)


def test_the_katz_interval_is_the_hand_computed_one():
    # 20 of 100 referred against 1,000 of 10,000 people: R = 0.2 / 0.1 = 2;
    # SE = sqrt(1/20 - 1/100 + 1/1000 - 1/10000) = sqrt(0.0409) = 0.2022375;
    # 2 x exp(-/+ 1.959964 x 0.2022375) = 1.3455 to 2.9729
    ratio, low, high = katz_interval(20, 100, 1000, 10000)
    assert ratio == pytest.approx(2.0)
    assert low == pytest.approx(1.3455, abs=1e-4)
    assert high == pytest.approx(2.9729, abs=1e-4)


def test_every_ratio_and_interval_is_worked_out_again_from_the_records(
    partnership, officer, population, records
):
    result = fair_reach(viewer=officer, year=2025, quarter=1, programme=records)
    start, end = at(4, 1) - datetime.timedelta(hours=12), at(6, 30) + datetime.timedelta(hours=11)
    people, by_group, by_sex, pop, sex_pop = expected(partnership, records, start, end)

    assert result.people == len(people) == 48
    assert result.population.same_ages
    assert "aged 14 to 17, 18 to 24" in result.population.description
    known = {g: by_group.get(g, 0) for g in ("asian", "black", "mixed", "white", "other")}
    n, total = sum(known.values()), sum(pop.values())
    lines = {line.key: line for line in result.ethnicity}
    for group, a in known.items():
        line = lines[group]
        assert line.referred == a
        assert line.share_of_population == pytest.approx(100 * pop[group] / total)
        if a >= MIN_REFERRED:
            assert line.share_of_referrals == pytest.approx(100 * a / n)
            assert (line.ratio, line.low, line.high) == pytest.approx(katz(a, n, pop[group], total))
        else:
            assert (line.ratio, line.verdict) == (None, TOO_FEW)
    assert {g: lines[g].ratio is not None for g in known} == {
        "asian": True,
        "black": True,
        "mixed": False,
        "white": True,
        "other": False,
    }
    # unknowns: counted, left out of every ratio, their share of everyone referred stated
    assert (lines["not_said"].referred, lines["not_known"].referred) == (2, 1)
    assert lines["not_said"].ratio is None
    assert lines["not_said"].verdict
    assert result.ethnicity_unknown_percent == pytest.approx(100 * 3 / 48)

    sexes = {line.key: line for line in result.sex}
    n_sex = by_sex["female"] + by_sex["male"]
    for sex in ("female", "male"):
        assert (sexes[sex].ratio, sexes[sex].low, sexes[sex].high) == pytest.approx(
            katz(by_sex[sex], n_sex, sex_pop[sex], sum(sex_pop.values()))
        )
    assert sexes["not_said"].referred == 1
    assert sexes["not_said"].ratio is None


def test_a_small_group_is_too_few_to_say_on_the_page(client, officer, population, records):
    client.force_login(officer)
    response = client.get(
        "/finance/fair-reach/", {"year": 2025, "quarter": 1, "programme": records.pk}
    )
    assert response.status_code == 200
    mixed = next(line for line in response.context["result"].ethnicity if line.key == "mixed")
    assert (mixed.shown, mixed.ratio, mixed.verdict) == ("3", None, TOO_FEW)
    assert "Too few to say" in response.content.decode()
    assert "ONS Census 2021 (test)" in response.content.decode()


def test_the_whole_year_and_all_programmes_count_everyone_referred(officer, population, records):
    year = fair_reach(viewer=officer, year=2025)
    assert year.people == 48 + 2  # the quarter's, one in August, one to another programme
    assert fair_reach(viewer=officer, year=2025, quarter=2).people == 1


def test_a_population_of_all_ages_says_it_is_not_the_same_ages(partnership, officer, records):
    for group, people in {"white": 775, "asian": 139, "black": 48, "mixed": 30, "other": 8}.items():
        PopulationFigure.objects.create(
            partnership=partnership,
            source="County shares",
            year=2019,
            age_band="all",
            sex="all",
            ethnic_group=group,
            people=people,
        )
    result = fair_reach(viewer=officer, year=2025, quarter=1)
    assert not result.population.same_ages
    assert "not the same ages" in result.population.description
    assert result.population.by_sex is None
    assert all(line.ratio is None for line in result.sex)
    white = next(line for line in result.ethnicity if line.key == "white")
    assert white.share_of_population == pytest.approx(77.5)


def test_commissioners_get_published_counts_and_ratios_worked_out_from_them(
    partnership, population, records
):
    commissioner = UserFactory(partnership=partnership, roles=[Role.COMMISSIONER])
    result = fair_reach(viewer=commissioner, year=2025, quarter=1, programme=records)
    assert result.suppressed
    people = {
        r.young_person_id: r.young_person
        for r in Referral.objects.filter(programme=records, referred_at__month=5).select_related(
            "young_person"
        )
    }
    ethnicity, sex = {}, {}
    for pk, person in people.items():
        weight = 1 + disclosure.adjustment(PERSON_KIND, pk)
        ethnicity[person.ethnicity] = ethnicity.get(person.ethnicity, 0) + weight
        sex[person.gender] = sex.get(person.gender, 0) + weight
    compared = ["asian", "black", "mixed", "white", "other"]
    rest = ["not_said", "not_known"]
    sex_compared, sex_rest = ["female", "male"], ["non_binary", "other", "not_said"]
    # in the selector's order (which breaks ties between equal counts)
    counts = {k: ethnicity.get(k, 0) for k in compared + rest}
    counts["n"] = sum(counts[k] for k in compared)
    counts["u"] = sum(counts[k] for k in rest)
    counts["all"] = counts["n"] + counts["u"]
    counts |= {f"sex:{k}": sex.get(k, 0) for k in sex_compared + sex_rest}
    counts["sex:n"] = sum(counts[f"sex:{k}"] for k in sex_compared)
    counts["sex:u"] = sum(counts[f"sex:{k}"] for k in sex_rest)
    lines_of_sums = [
        [*compared, "n"],
        [*rest, "u"],
        ["n", "u", "all"],
        [*(f"sex:{k}" for k in sex_compared), "sex:n"],
        [*(f"sex:{k}" for k in sex_rest), "sex:u"],
        ["sex:n", "sex:u", "all"],
    ]
    shown = disclosure.protect_lines(
        counts,
        lines_of_sums,
        totals={"n", "u", "sex:n", "sex:u", "all"},
        hide_first={"all"},
    )
    assert (result.ethnicity_compared_shown, result.people_shown) == (shown["n"], shown["all"])
    lines = {line.key: line for line in result.ethnicity}
    hidden = {"<5", "[c]"}
    for key in compared + rest:
        assert lines[key].shown == shown[key]
        assert lines[key].referred == counts[key]
    for key in compared:
        line = lines[key]
        if line.shown in hidden or shown["n"] in hidden or counts[key] < MIN_REFERRED:
            assert line.ratio is None
            assert line.share_of_referrals is None
        else:
            # worked out from the published counts
            assert line.share_of_referrals == pytest.approx(100 * counts[key] / counts["n"])
    # no share gives a hidden group away: its denominator is published only when no line of
    # sums is left with exactly one hidden value
    for line_of_sum in lines_of_sums:
        assert sum(shown[k] in hidden for k in line_of_sum) != 1
    # a group of 3 is never given a ratio
    assert lines["mixed"].ratio is None


def test_the_csv_and_the_api_hold_what_the_page_shows(client, officer, population, records):
    client.force_login(officer)
    query = {"year": 2025, "quarter": 1, "programme": records.pk}
    page = client.get("/finance/fair-reach/", query).context["result"]
    download = client.get("/finance/fair-reach/", {**query, "format": "csv"})
    assert download.status_code == 200
    rows = list(csv.DictReader(io.StringIO(download.content.decode("utf-8-sig"))))
    asian = next(
        r for r in rows if r["breakdown"] == "ethnic group" and r["group"].startswith("Asian")
    )
    line = next(line for line in page.ethnicity if line.key == "asian")
    assert asian["young_people_referred"] == "12"
    assert asian["ratio"] == f"{line.ratio:.2f}"
    assert asian["ratio_95_low"] == f"{line.low:.2f}"
    api = client.get("/api/fair-reach/", query)
    assert api.status_code == 200
    body = api.json()
    assert body["young_people_referred"] == "48"
    api_asian = next(g for g in body["ethnicity"] if g["key"] == "asian")
    assert api_asian["ratio"] == pytest.approx(line.ratio)
    mixed = next(g for g in body["ethnicity"] if g["key"] == "mixed")
    assert (mixed["ratio"], mixed["note"]) == (None, TOO_FEW)


@pytest.mark.parametrize("threshold", [5, 10])
def test_the_small_number_threshold_hides_counts_and_ratios_for_commissioners(
    settings, partnership, population, records, threshold
):
    settings.VRU_SMALL_NUMBER_THRESHOLD = threshold
    commissioner = UserFactory(partnership=partnership, roles=[Role.COMMISSIONER])
    result = fair_reach(viewer=commissioner, year=2025, quarter=1, programme=records)
    for line in result.ethnicity + result.sex:
        if 0 < line.referred < threshold:
            assert line.shown == f"<{threshold}"
            assert line.ratio is None
            assert line.share_of_referrals is None


def test_without_a_population_the_page_shows_counts_and_says_there_is_none(
    client, partnership, records
):
    commissioner = UserFactory(partnership=partnership, roles=[Role.COMMISSIONER])
    client.force_login(commissioner)
    response = client.get("/finance/fair-reach/", {"year": 2025, "quarter": 1})
    assert response.status_code == 200
    assert "There is no population for this partnership yet" in response.content.decode()
    result = response.context["result"]
    assert result.population is None
    assert all(line.ratio is None for line in result.ethnicity)


def test_a_period_that_is_not_a_year_is_a_form_error(client, officer):
    client.force_login(officer)
    response = client.get("/finance/fair-reach/", {"year": "soon"})
    assert response.status_code == 400


@pytest.mark.parametrize(
    "query",
    [
        {"programme": "99999999999999999999999"},
        {"programme": "1.5"},
        {"year": "99999"},
        {"quarter": "5"},
        {"year": "1999"},
    ],
)
def test_the_api_answers_a_query_it_cannot_use_with_a_400(client, officer, query):
    client.force_login(officer)
    assert client.get("/api/fair-reach/", query).status_code == 400
