"""Benchmark: referrals at scale on PostgreSQL.

    .venv/bin/python bench/referrals_bench.py [--referrals 1000000] [--import-rows 100000]
                                              [--requests 200] [--reuse]

1. Loads N referrals (each with a young person, an identity and, when contacted, two contacts)
   into a fresh database `vru_bench` with set-based SQL, spread over 200 practitioners.
2. Times, in one process through the full middleware stack (Django test client, signed in):
   the caseload page and the referral API list of one practitioner, and of the administrator
   (who sees all N), beside both floors (bench/floors.py: the bare view, and the minimal
   signed-in view) - median and p95 of R requests each, with the query count of each.
3. Imports a 100,000-row custody CSV through the product (read_rows + validation + COPY into
   four tables, identities encrypted with AES-256-GCM + commit) and compares it with
   `psql \\copy` of the same file into a table of the same columns (the floor), measured in
   the same run; prints where the product's time went (read, validate, encrypt and blind
   index, COPY, commit).

Targets: the minimal signed-in view within 4x the bare view; the lists within 3x the minimal
view and 12x the bare view at 1M referrals; import >= 25% of COPY's rate
(docs/performance.md).
"""

import argparse
import contextlib
import csv
import html
import os
import re
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench import database  # noqa: E402  (after the path)

os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
DB = os.environ.setdefault("VRU_BENCH_DB", "vru_bench_referrals")
PSQL = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-v", "ON_ERROR_STOP=1", "-q"]


def out(line: str = "") -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def psql(sql: str, db: str = DB) -> None:
    subprocess.run([*PSQL, "-d", db, "-c", sql], check=True)


def create_database() -> None:
    database.create(DB)


def setup_django():
    import django

    django.setup()


def load(n: int) -> dict:
    from django.core.management import call_command
    from django.db import connection

    from programmes import services
    from tests.factories import LocalAuthorityFactory, LSOAFactory, PartnershipFactory
    from vru.models import Role, RoleAssignment, User

    call_command("migrate", verbosity=0)
    partnership = PartnershipFactory(slug="bench")
    la = LocalAuthorityFactory(partnership=partnership)
    LSOAFactory.create_batch(200, local_authority=la)
    programme = services.programme_create(actor=None, partnership=partnership, name="ReRoute")
    users = User.objects.bulk_create(
        [User(username=f"bench.p{i}", partnership=partnership) for i in range(200)]
    )
    RoleAssignment.objects.bulk_create(
        [RoleAssignment(user=u, role=Role.PRACTITIONER) for u in users]
    )
    for u in users:
        services.programme_staff_set(actor=None, programme=programme, user=u, role="practitioner")
    admin = User.objects.create(username="bench.admin", partnership=partnership)
    RoleAssignment.objects.create(user=admin, role=Role.ADMINISTRATOR)
    from vru.models import LSOA

    lsoa0 = (
        LSOA.objects.filter(partnership=partnership).order_by("pk").values_list("pk", flat=True)[0]
    )
    user0 = users[0].pk
    p, pid = programme.pk, partnership.pk
    # identities are encrypted at rest: one token per value is enough for the lists timed
    # here (base64 and a prefix only, so safe inside the SQL literal); the blind index is
    # any 64 hex characters
    from vru.fields import encrypt

    first, last, dob = encrypt("Bench"), encrypt("Person"), encrypt("2010-01-01")
    started = time.perf_counter()
    with connection.cursor() as c:
        c.execute(
            f"""
            INSERT INTO programmes_youngperson (id, partnership_id, reference, gender, ethnicity,
                home_lsoa_id, education_status, created_at)
            SELECT g, {pid}, 'YP-B' || g, 'male', 'white', {lsoa0} + g % 200, 'school', now()
            FROM generate_series(1, {n}) g;
            INSERT INTO programmes_youngpersonidentity (young_person_id, first_name, last_name,
                date_of_birth, address, postcode, phone, email, match_index)
            SELECT g, '{first}', '{last}', '{dob}', '', '', '', '',
                md5('bench' || g) || md5('person' || g)
            FROM generate_series(1, {n}) g;
            INSERT INTO programmes_referral (id, partnership_id, programme_id, young_person_id,
                source, reason, event_at, referred_at, due_at, first_contact_at, consent_given_by,
                assigned_to_id, status, closure_reason, status_changed_at, closed_at, awaiting_contact,
                age_at_referral, lsoa_id, risk_factors, protective_factors, eligibility_override,
                created_at)
            SELECT g, {pid}, {p}, g, 'custody', 'knife', e, e + interval '1 hour',
                e + interval '24 hours',
                CASE WHEN g % 10 < 8 THEN e + (g % 30) * interval '1 hour' END, '',
                {user0} + g % 200,
                CASE WHEN g % 10 >= 8 THEN 'received' WHEN g % 3 = 0 THEN 'closed' ELSE 'contacted' END,
                CASE WHEN g % 10 < 8 AND g % 3 = 0 THEN 'completed' ELSE '' END,
                e + interval '1 hour',
                CASE WHEN g % 10 < 8 AND g % 3 = 0 THEN e + interval '60 days' END,
                g % 10 >= 8,
                15, {lsoa0} + g % 200, '[]', '[]', '', now()
            FROM (SELECT g, now() - (g % 400) * interval '1 day' - (g % 1440) * interval '1 minute' AS e
                  FROM generate_series(1, {n}) g) s;
            INSERT INTO programmes_contact (referral_id, occurred_at, duration_minutes, method,
                notes, next_step)
            SELECT r.id, r.first_contact_at + k * interval '7 days', 30, 'phone', '', ''  -- notes are encrypted: left empty here
            FROM programmes_referral r, generate_series(0, 1) k WHERE r.first_contact_at IS NOT NULL;
            SELECT setval(pg_get_serial_sequence('programmes_youngperson', 'id'), {n});
            SELECT setval(pg_get_serial_sequence('programmes_referral', 'id'), {n});
            """
        )
        # as autovacuum leaves a live table: statistics, and the visibility map that lets
        # counts be index-only scans (VACUUM cannot run inside a transaction: autocommit here)
        c.execute("VACUUM ANALYZE")
    out(f"loaded {n:,} referrals (+ contacts) in {time.perf_counter() - started:.1f} s")
    return {"programme": p}


def lists(requests: int) -> None:
    """The caseload page and the referral API list (and their next pages) of one
    practitioner and of the administrator, each beside both floors (bench/floors.py)."""
    from bench import floors
    from vru.models import User

    for who in ["bench.p7", "bench.admin"]:
        user = User.objects.get(username=who)
        client = floors.signed_in_client(user)
        page = client.get("/programmes/caseload/").content.decode()
        found = re.search(r'href="([^"]*)" rel="next"', page)
        if found is None:  # the caseload opens on open cases: a small load may fit one page
            raise SystemExit(f"{who}'s open cases fit on one page: load more referrals")
        next_href = html.unescape(found.group(1))
        api_next = client.get("/api/referrals/").json()["next"]
        timings = floors.measure(
            user,
            [
                ("caseload page", "/programmes/caseload/"),
                ("referral API list", "/api/referrals/"),
                ("caseload, next page", "/programmes/caseload/" + next_href),
                ("API list, next page", api_next.split("testserver", 1)[1]),
            ],
            requests,
        )
        floors.report(f"{who}, {requests} requests each:", timings)
        floors.queries_alone(
            user,
            [("caseload page", "/programmes/caseload/"), ("referral API list", "/api/referrals/")],
            requests,
        )


def import_bench(rows: int, programme_id: int) -> None:
    from programmes import services
    from programmes.models import Programme

    run = uuid.uuid4().hex[:6]  # new names each run: a re-run (--reuse) is not "on record"
    path = Path(tempfile.gettempdir()) / "bench_custody.csv"
    columns = [
        "first_name",
        "last_name",
        "date_of_birth",
        "reason",
        "event_at",
        "source",
        "home_lsoa",
        "gender",
        "postcode",
    ]
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(columns)
        for i in range(rows):
            writer.writerow(
                [
                    "Imp",
                    f"Row{run}x{i}",
                    f"20{10 + i % 5}-0{1 + i % 9}-1{i % 9}",
                    "knife",
                    f"2026-0{1 + i % 9}-0{1 + i % 9} 1{i % 10}:{i % 60:02d}",
                    "custody",
                    "",
                    "male",
                    "ZZ1 1ZZ",
                ]
            )
    psql(
        "DROP TABLE IF EXISTS bench_floor; CREATE TABLE bench_floor (first_name text, last_name text, "
        "date_of_birth date, reason text, event_at timestamptz, source text, home_lsoa text, "
        "gender text, postcode text)"
    )
    t = time.perf_counter()
    psql(f"\\copy bench_floor FROM '{path}' CSV HEADER")
    floor = time.perf_counter() - t
    programme = Programme.objects.get(pk=programme_id)
    before = _last_ids()
    with _phases() as spent:
        t = time.perf_counter()
        rows_read = services.read_rows(file_name=path.name, content=path.read_bytes())
        spent["read"] += time.perf_counter() - t
        outcome = services.referrals_import(actor=None, programme=programme, rows=rows_read)
        product = time.perf_counter() - t
    assert not outcome.errors, outcome.errors[:3]
    # what encryption at rest alone costs: the same values through vru.fields (first name,
    # last name, date of birth, postcode: four AES-256-GCM tokens a row) and the blind index
    from vru.blind_index import blind_index
    from vru.fields import encrypt

    t = time.perf_counter()
    for r in rows_read:
        encrypt(r["first_name"])
        encrypt(r["last_name"])
        encrypt(r["date_of_birth"])
        encrypt(r["postcode"])
    encrypting = time.perf_counter() - t
    t = time.perf_counter()
    for r in rows_read:
        blind_index(r["first_name"], r["last_name"], r["date_of_birth"])
    indexing = time.perf_counter() - t
    out(
        f"\nimport of {rows:,} rows: psql \\copy (whole process) {floor:.2f} s = {rows / floor:,.0f} rows/s"
    )
    out(
        f"  product (read_rows + validate + COPY + commit, in process) {product:.2f} s"
        f" = {rows / product:,.0f} rows/s = {100 * floor / product:.1f}% of COPY's rate (target >= 25%)"
    )
    copying = spent["copy"] - spent["encrypt"]  # identities are encrypted inside their COPY
    other = product - sum(spent[k] for k in ["read", "validate", "commit"]) - spent["copy"]
    out(
        f"  where the product's time went: read {spent['read']:.2f} s,"
        f" validate {spent['validate'] - spent['index']:.2f} s,"
        f" encrypt {spent['encrypt']:.2f} s + blind index {spent['index']:.2f} s,"
        f" database COPY of 4 tables {copying:.2f} s (formatting, and waiting for the server),"
        f" commit {spent['commit']:.2f} s (the deferred foreign-key checks),"
        f" other {other:.2f} s (ids, the lookup of people on record, links, audit)"
    )
    tables_floor = _copy_into_the_same_tables(before)
    out(
        f"  the database's own floor for these rows: psql \\copy of exactly the rows the product"
        f" stored (encrypted already) into the same tables, with their indexes and foreign keys,"
        f" in one transaction: {tables_floor:.2f} s; the product took"
        f" {product / tables_floor:.1f}x that = {100 * tables_floor / product:.0f}% of its rate"
    )
    out(
        f"  the same work alone: AES-256-GCM encryption of 4 fields a row, one vru.fields.encrypt"
        f" call a value, {encrypting:.2f} s; blind index, one blind_index call a row,"
        f" {indexing:.2f} s (COPY's whole budget at 25%: {4 * floor:.2f} s)"
    )


# the tables an import writes, parents first, and the rows of one import in each (by the
# ids before it: every id it stored is above them)
IMPORTED = [
    ("programmes_youngperson", "id > {person}"),
    ("programmes_youngpersonidentity", "young_person_id > {person}"),
    ("programmes_searchtoken", "young_person_id > {person}"),  # the name search's index
    ("programmes_referral", "id > {referral}"),
    ("programmes_statuschange", "referral_id > {referral}"),
    (
        "programmes_youngperson_possible_duplicates",
        "from_youngperson_id > {person} OR to_youngperson_id > {person}",
    ),
]


def _last_ids() -> dict:
    from programmes.models import Referral, YoungPerson

    return {
        "person": YoungPerson.objects.order_by("-pk").values_list("pk", flat=True).first() or 0,
        "referral": Referral.objects.order_by("-pk").values_list("pk", flat=True).first() or 0,
    }


def _copy_into_the_same_tables(before: dict) -> float:
    """Write out the rows the import stored, delete them, and time `psql \\copy` putting
    them back into the same tables (indexes, foreign keys checked at commit) in one
    transaction: what the database alone needs for this import, the floor the product's
    own COPY can approach."""
    folder = Path(tempfile.mkdtemp(prefix="bench_tables_"))
    for table, where in IMPORTED:
        condition = where.format(**before)
        psql(f"\\copy (SELECT * FROM {table} WHERE {condition}) TO '{folder / table}'")
    for table, where in reversed(IMPORTED):
        psql(f"DELETE FROM {table} WHERE {where.format(**before)}")
    script = folder / "load.sql"
    script.write_text(
        "BEGIN;\n"
        + "".join(f"\\copy {table} FROM '{folder / table}'\n" for table, _ in IMPORTED)
        + "COMMIT;\n"
    )
    t = time.perf_counter()
    subprocess.run([*PSQL, "-d", DB, "-f", str(script)], check=True)
    return time.perf_counter() - t


@contextlib.contextmanager
def _phases():
    """Seconds spent in each part of one import, by wrapping the functions that do it (the
    import itself is unchanged): encryption runs inside the identities' COPY, and the blind
    index inside validation, so they are also counted there."""
    from django.db import connection

    from programmes.services.imports import loading, validation

    spent = dict.fromkeys(["read", "validate", "index", "encrypt", "copy", "commit"], 0.0)

    def timed(name, function):
        def run(*args, **kwargs):
            t = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[name] += time.perf_counter() - t

        return run

    def indexer():
        return timed("index", real_indexer())

    saved = [
        (validation, "validate", validation.validate),
        (validation, "blind_indexer", validation.blind_indexer),
        (loading, "encrypt_many", loading.encrypt_many),
        (loading, "_copy", loading._copy),
        (connection, "commit", connection.commit),
    ]
    real_indexer = validation.blind_indexer
    validation.validate = timed("validate", validation.validate)
    validation.blind_indexer = indexer
    loading.encrypt_many = timed("encrypt", loading.encrypt_many)
    loading._copy = timed("copy", loading._copy)
    connection.commit = timed("commit", connection.commit)
    try:
        yield spent
    finally:
        for owner, name, value in saved:
            if owner is connection:
                del connection.commit  # back to the class's method
            else:
                setattr(owner, name, value)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--referrals", type=int, default=1_000_000)
    parser.add_argument("--import-rows", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--reuse", action="store_true", help="keep an already loaded vru_bench")
    parser.add_argument("--only", choices=["lists", "import"], help="run one part only")
    args = parser.parse_args()
    if not args.reuse:
        create_database()
    setup_django()
    from programmes.models import Programme

    if args.reuse:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        info = {"programme": Programme.objects.get(name="ReRoute").pk}
    else:
        info = load(args.referrals)
    if args.only != "import":
        lists(args.requests)
    if args.only != "lists":
        import_bench(args.import_rows, info["programme"])


if __name__ == "__main__":
    main()
