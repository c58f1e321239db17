"""An attacker in the test suite.

A small partnership with many small counts: three programmes, three local authorities in two
community safety partnerships (one CSP spans two authorities), young people whose home area
is not recorded, three months of referrals, each contacted on time or not. A commissioner
obtains every report the product offers them about it: every scope (the partnership, each
programme, each local authority, each CSP) for each month and for the quarter, downloaded as
the CSV a commissioner gets (the XLSX is checked to hold the same figures), plus each
programme's dashboard.

The attacker then writes every published figure about referrals as a linear constraint on
the unknown counts of the finest groups (programme x home area x month x contacted on time
or not), which is how the three known attacks work:

1. within one table: a column's cells add up to its total ("<5" means 1 to 4);
2. across scopes: the partnership's cell is the programmes' or the areas' cells added up;
3. across periods: the quarter is its three months added up;

and solves, for every group and every hidden figure, the smallest and the largest count
consistent with all of them at once (integer programs, scipy's HiGHS). A count is recovered
when both are the same. The attacker reads how the figures were made from the report itself
(``meta.disclosure``): published as counted, or each record adjusted by -1, 0 or +1 first.

The test fails if any true count from 1 to the threshold - 1 is recovered. Before the
disclosure control adjusted records (figures published as counted, "<5" and "[c]" only),
it recovered small counts through all three attacks; see ``test_the_attacker_recovers_
small_counts_from_exact_figures``, which runs the same attacker on exact figures.
"""

import csv
import datetime
import io
import itertools
import random
from collections import defaultdict

import numpy as np
import pytest
from openpyxl import load_workbook
from scipy.optimize import Bounds, LinearConstraint, milp

from evaluation import services
from evaluation.models import ImpactReport
from programmes import selectors as programme_selectors
from programmes import services as programme_services
from programmes.models import Referral
from tests.factories import (
    CommunitySafetyPartnershipFactory,
    LocalAuthorityFactory,
    LSOAFactory,
    ProgrammeFactory,
    ReferralFactory,
    UserFactory,
)
from vru.models import Role
from vru.selectors import disclosure

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

MONTHS = [datetime.date(2026, 4, 1), datetime.date(2026, 5, 1), datetime.date(2026, 6, 1)]
QUARTER = (datetime.date(2026, 4, 1), datetime.date(2026, 6, 30))
UNKNOWN = "not recorded"
RESULTS = ("met", "late")
REFERRALS_TABLE = "Referrals received, by programme"
COMPLIANCE_TABLE = "Referrals contacted within the target time"


def month_end(first: datetime.date) -> datetime.date:
    following = (first.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return following - datetime.timedelta(days=1)


PERIODS = [*((m, month_end(m)) for m in MONTHS), QUARTER]


class World:
    """The records, and which finest group ("atom") each referral is in."""

    def __init__(self, partnership, seed: int = 12):
        rng = random.Random(seed)
        north_east = CommunitySafetyPartnershipFactory(partnership=partnership, name="North East")
        south = CommunitySafetyPartnershipFactory(partnership=partnership, name="South")
        self.areas = {
            name: LocalAuthorityFactory(
                partnership=partnership, name=name, community_safety_partnership=csp
            )
            for name, csp in [
                ("Northtown", north_east),
                ("Easttown", north_east),
                ("Southtown", south),
            ]
        }
        self.csps = {
            "North East": (north_east, ["Northtown", "Easttown"]),
            "South": (south, ["Southtown"]),
        }
        self.lsoas = {name: LSOAFactory(local_authority=la) for name, la in self.areas.items()}
        self.programmes = {
            name: ProgrammeFactory(partnership=partnership, name=name)
            for name in ("ReRoute", "Mentoring", "Hospital navigators")
        }
        self.atom_of: dict[int, tuple] = {}
        sizes = [0, 0, 0, 1, 1, 1, 2, 3, 4, 7]
        for programme, area, month in itertools.product(
            self.programmes, [*self.areas, UNKNOWN], MONTHS
        ):
            for result in RESULTS:
                for day in range(rng.choice(sizes)):
                    self._refer(programme, area, month, result, day)

    def _refer(self, programme: str, area: str, month: datetime.date, result: str, n: int):
        event_at = datetime.datetime.combine(
            month.replace(day=2 + n % 25), datetime.time(10), tzinfo=datetime.UTC
        )
        referral = ReferralFactory(
            programme=self.programmes[programme],
            event_at=event_at,
            referred_at=event_at + datetime.timedelta(hours=1),
            home_lsoa=None if area == UNKNOWN else self.lsoas[area],
        )
        if result == "met":
            programme_services.contact_record(
                actor=None,
                referral=referral,
                occurred_at=event_at + datetime.timedelta(hours=3),
                method="phone",
            )
        self.atom_of[referral.pk] = (programme, area, month, result)

    def atoms(self) -> list[tuple]:
        return list(itertools.product(self.programmes, [*self.areas, UNKNOWN], MONTHS, RESULTS))

    def true_counts(self) -> dict[tuple, int]:
        counts = defaultdict(int)
        for atom in self.atom_of.values():
            counts[atom] += 1
        return counts

    def adjusted_counts(self) -> dict[tuple, int]:
        counts = defaultdict(int)
        for pk, atom in self.atom_of.items():
            counts[atom] += 1 + disclosure.adjustment("referral", pk)
        return counts


# --- What a commissioner can obtain --------------------------------------------------------


def scopes(world: World) -> list[tuple[dict, set[str] | None, set[str]]]:
    """(request arguments, programmes covered or None for all, areas covered)."""
    everywhere = {*world.areas, UNKNOWN}
    result = [({}, None, everywhere)]
    result += [
        ({"scope": "programme", "programme": p}, {name}, everywhere)
        for name, p in world.programmes.items()
    ]
    result += [
        ({"scope": "local_authority", "local_authority": la}, None, {name})
        for name, la in world.areas.items()
    ]
    result += [
        ({"scope": "csp", "csp": csp}, None, set(names)) for csp, names in world.csps.values()
    ]
    return result


def published_outputs(world, commissioner, client, capture) -> tuple[list, dict]:
    """Every (cell, shown value) a commissioner gets, a cell being the set of atoms it
    counts; and the disclosure method the reports state."""
    client.force_login(commissioner)
    cells = []
    method = None
    for arguments, programmes, areas in scopes(world):
        for start, end in PERIODS:
            with capture(execute=True):
                report = services.request_impact_report(
                    actor=commissioner, period_start=start, period_end=end, **arguments
                )
            report.refresh_from_db()
            assert report.status == ImpactReport.Status.READY, report.error
            method = report.content["meta"].get("disclosure")
            response = client.get(f"{report.get_absolute_url()}?format=csv")
            assert response.status_code == 200
            rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
            # the XLSX download publishes exactly the same figures as the CSV
            xlsx = client.get(f"{report.get_absolute_url()}?format=xlsx")
            sheet = load_workbook(io.BytesIO(b"".join(xlsx))).active
            header, *cells_of_sheet = [list(r) for r in sheet.iter_rows(values_only=True)]
            assert [dict(zip(header, r, strict=True))["Value"] for r in cells_of_sheet] == [
                r["Value"] for r in rows
            ]
            months = [m for m in MONTHS if start <= m <= end]
            cells += _report_cells(world, rows, programmes, areas, months)
    for name, programme in world.programmes.items():
        dashboard = programme_selectors.programme_dashboard(
            viewer=commissioner, programme=programme, now=datetime.datetime.now(datetime.UTC)
        )
        everything = {*world.areas, UNKNOWN}
        cells.append((_atoms({name}, everything, MONTHS, RESULTS), dashboard.total))
        for label, shown in dashboard.by_status:
            results = {"Received": ("late",), "Contacted": ("met",)}.get(label)
            if results:
                cells.append((_atoms({name}, everything, MONTHS, results), shown))
        for row in dashboard.compliance:
            month = row["month"].date() if hasattr(row["month"], "date") else row["month"]
            cells.append((_atoms({name}, everything, [month], RESULTS), row["decided_shown"]))
    return cells, method


def _atoms(programmes, areas, months, results) -> frozenset:
    return frozenset(itertools.product(programmes, areas, months, results))


def _report_cells(world, rows, programmes, areas, months) -> list:
    cells = []
    in_scope = programmes or set(world.programmes)
    for row in rows:
        if row["Table"] == REFERRALS_TABLE:
            covered = in_scope if row["Row"] == "Total" else {row["Row"]}
            cells.append((_atoms(covered, areas, months, RESULTS), row["Value"]))
        elif row["Table"].startswith(COMPLIANCE_TABLE):
            covered = in_scope if row["Row"] == "Total" else {row["Row"]}
            results = {"Within target": ("met",), "Late or not contacted": ("late",)}.get(
                row["Column"], RESULTS
            )
            cells.append((_atoms(covered, areas, months, results), row["Value"]))
    assert cells, "the reports publish no referral tables: the attacker has nothing to read"
    return cells


# --- The attacker --------------------------------------------------------------------------


class Attacker:
    """Integer programs over the atoms. With ``adjusted``, each atom holds z0 records that
    count 0, z1 that count 1 and z2 that count 2 (published = z1 + 2 z2, true = z0+z1+z2);
    otherwise each atom's published count is its true count."""

    def __init__(self, atoms: list[tuple], cells: list, *, adjusted: bool, threshold: int):
        self.atoms = atoms
        self.index = {atom: i for i, atom in enumerate(atoms)}
        self.per_atom = 3 if adjusted else 1
        self.adjusted = adjusted
        rows, lower, upper = [], [], []
        for covered, shown in cells:
            row = self._published(covered)
            if shown == f"<{threshold}":
                low, high = 1, threshold - 1
            elif shown.replace(",", "").isdigit():
                low = high = int(shown.replace(",", ""))
            else:  # "[c]" or "–": no more than a count, which is never negative
                continue
            rows.append(row)
            lower.append(low)
            upper.append(high)
        self.constraints = LinearConstraint(np.array(rows), lower, upper)

    def _published(self, covered) -> np.ndarray:
        row = np.zeros(len(self.atoms) * self.per_atom)
        for atom in covered:
            base = self.index[atom] * self.per_atom
            if self.adjusted:
                row[base + 1], row[base + 2] = 1, 2
            else:
                row[base] = 1
        return row

    def _true(self, covered) -> np.ndarray:
        row = np.zeros(len(self.atoms) * self.per_atom)
        for atom in covered:
            base = self.index[atom] * self.per_atom
            row[base : base + self.per_atom] = 1
        return row

    def _extreme(self, objective: np.ndarray) -> float | None:
        n = len(objective)
        result = milp(
            objective,
            constraints=self.constraints,
            integrality=np.ones(n),
            bounds=Bounds(np.zeros(n), np.full(n, np.inf)),
        )
        if result.status in {3, 4}:  # unbounded (4: "infeasible or unbounded")
            assert self._feasible(), "the published figures contradict each other"
            return None
        assert result.status == 0, result.message
        return result.fun

    def _feasible(self) -> bool:
        n = len(self.atoms) * self.per_atom
        result = milp(
            np.zeros(n),
            constraints=self.constraints,
            integrality=np.ones(n),
            bounds=Bounds(np.zeros(n), np.full(n, np.inf)),
        )
        return result.status == 0

    def recovers(self, covered) -> int | None:
        """The true count of these atoms if every consistent world has the same one."""
        objective = self._true(covered)
        low = self._extreme(objective)
        high = self._extreme(-objective)
        if low is None or high is None:
            return None
        low, high = round(low), round(-high)
        return low if low == high else None


def small_counts_recovered(world, cells, *, adjusted: bool) -> list[tuple]:
    """Every atom and every hidden cell whose true count is 1 to threshold - 1 and which the
    attacker pins down exactly."""
    threshold = disclosure.threshold()
    attacker = Attacker(world.atoms(), cells, adjusted=adjusted, threshold=threshold)
    truth = world.true_counts()
    targets = {frozenset([atom]) for atom in world.atoms()}
    targets |= {covered for covered, shown in cells if not shown.replace(",", "").isdigit()}
    recovered = []
    for covered in targets:
        true = sum(truth[atom] for atom in covered)
        if 0 < true < threshold and attacker.recovers(covered) == true:
            recovered.append((sorted(covered)[:2], true))
    return recovered


# --- The tests -----------------------------------------------------------------------------


@pytest.fixture
def world(partnership):
    return World(partnership)


@pytest.fixture
def commissioner(partnership):
    return UserFactory(partnership=partnership, roles=[Role.COMMISSIONER])


def test_no_small_count_is_recovered_from_every_output_a_commissioner_can_obtain(
    world, commissioner, client, django_capture_on_commit_callbacks
):
    cells, method = published_outputs(
        world, commissioner, client, django_capture_on_commit_callbacks
    )
    truth = world.true_counts()
    assert sum(1 for n in truth.values() if 0 < n < disclosure.threshold()) >= 20
    assert method is not None, "the reports must say how their figures were protected"
    assert method["record_adjustment"] == [-1, 0, 1]

    # what the reports say they did is what they did: every figure a commissioner gets is
    # the adjusted count of exactly the records it covers (so no door publishes a true count)
    adjusted = world.adjusted_counts()
    for covered, shown in cells:
        assert shown == disclosure.shown_count(sum(adjusted[a] for a in covered)) or shown == (
            disclosure.SECONDARY_MARK
        ), (sorted(covered)[:3], shown)

    assert small_counts_recovered(world, cells, adjusted=True) == []


def test_the_attacker_recovers_small_counts_from_exact_figures(world):
    """The attacker is not toothless: given the same tables published as counted (small
    counts as "<5", secondary suppression as "[c]", as the product did before), it pins
    small counts down through the within-table, across-scope and across-period equations."""
    truth = world.true_counts()
    cells = []
    for (_, programmes, areas), (start, end) in itertools.product(scopes(world), PERIODS):
        months = [m for m in MONTHS if start <= m <= end]
        names = sorted(programmes or world.programmes)
        counts = [
            [sum(truth[(p, a, m, r)] for a in areas for m in months) for r in RESULTS]
            for p in names
        ]
        table = disclosure.protect_table(counts)
        for p, shown_cells, total in zip(names, table.cells, table.row_totals, strict=True):
            for r, shown in zip(RESULTS, shown_cells, strict=True):
                cells.append((_atoms({p}, areas, months, (r,)), shown))
            cells.append((_atoms({p}, areas, months, RESULTS), total))
        for r, shown in zip(RESULTS, table.column_totals, strict=True):
            cells.append((_atoms(set(names), areas, months, (r,)), shown))
        cells.append((_atoms(set(names), areas, months, RESULTS), table.grand_total))

    assert len(small_counts_recovered(world, cells, adjusted=False)) >= 5


def test_a_world_with_one_more_young_person_publishes_exactly_the_same_figures(
    world, commissioner, client, django_capture_on_commit_callbacks
):
    """Why nothing can be recovered: a record that counts 0 changes no output, so a world
    with one more (or one fewer) young person in any group looks exactly the same."""
    invisible = [pk for pk in world.atom_of if disclosure.adjustment("referral", pk) == -1]
    assert invisible, "with a fifth of records counting 0, a world this size has some"
    before, _ = published_outputs(world, commissioner, client, django_capture_on_commit_callbacks)
    pk = invisible[0]
    programme, area, month, result = world.atom_of.pop(pk)
    Referral.objects.filter(pk=pk).delete()

    after, _ = published_outputs(world, commissioner, client, django_capture_on_commit_callbacks)

    assert after == before
    assert world.true_counts()[(programme, area, month, result)] == (
        sum(1 for atom in world.atom_of.values() if atom == (programme, area, month, result))
    )
