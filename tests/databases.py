"""Which PostgreSQL test database a test run uses (SQLite runs use one in memory per process).

Several runs may share one PostgreSQL server (developers, CI, benchmarks), and one run may
have several pytest-xdist workers: no two of them may ever use, or drop, the same database.

- A run that keeps its database (`--reuse-db`, what `make test` passes on a laptop) uses a
  name of its own checkout and of its migrations: ``test_vru_<checkout>_m<migrations>``. The
  next run of the same checkout finds it and skips creating it; a changed, added or renamed
  migration gives another name, so a database migrated by an older history is never reused
  (this checkout's older ones are dropped). A lock file makes a second run of the same
  checkout, started while the first one is still going, fall back to a fresh database.
- Any other run (CI passes `--create-db`) uses ``test_vru_<pid of the run>``, created fresh
  and dropped at the end.

pytest-django then adds ``_gw0``, ``_gw1`` ... for each xdist worker: one database each.

Every one of them is a copy of the run's **template**, ``<name>_tpl``: the run migrates that
database once, before its workers start, and each worker's database (and each benchmark's
run by tests/test_benches.py) is copied from it with ``CREATE DATABASE ... TEMPLATE``, which
takes about a second where migrating takes 15-30 (pytest-django's `migrate` then finds
nothing to do). A kept run keeps its template with its databases; a fresh run drops it at
the end.
"""

import fcntl
import hashlib
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POSTGRESQL_ENGINES = {"django.db.backends.postgresql", "vru.postgresql"}


@dataclass(frozen=True)
class Plan:
    name: str  # before pytest-django's xdist suffix
    keep: bool  # kept after the run, and reused by the next one


def checkout_tag(root: Path = ROOT) -> str:
    return hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:8]


def migrations_fingerprint(root: Path = ROOT) -> str:
    """Every app's migrations (any top-level folder with a migrations package), so a new
    app's migration changes the name as much as an old app's does."""
    digest = hashlib.sha256()
    for path in sorted(root.glob("*/migrations/*.py")):
        digest.update(f"{path.parent.parent.name}/{path.name}\0".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:8]


def kept_prefix(database_name: str, root: Path = ROOT) -> str:
    return f"test_{database_name}_{checkout_tag(root)}_m"


def plan(
    database_name: str, *, reuse: bool, pid: int, lock_dir: Path | None = None, root: Path = ROOT
) -> tuple[Plan, object | None]:
    """The database a run uses, and the lock it holds for as long as it runs (or None)."""
    fresh = Plan(name=f"test_{database_name}_{pid}", keep=False)
    if not reuse:
        return fresh, None
    name = kept_prefix(database_name, root) + migrations_fingerprint(root)
    lock_path = Path(lock_dir or tempfile.gettempdir()) / f"{kept_prefix(database_name, root)}.lock"
    lock = lock_path.open("w")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:  # another run of this checkout is using it right now
        lock.close()
        return fresh, None
    return Plan(name=name, keep=True), lock


TEMPLATE_SUFFIX = "_tpl"


def template_of(current: Plan) -> str:
    return f"{current.name}{TEMPLATE_SUFFIX}"


def _run_of(database: str) -> str:
    """The run's name a database belongs to: without its xdist suffix or template suffix."""
    return database.split("_gw")[0].removesuffix(TEMPLATE_SUFFIX)


def stale(existing: list[str], current: Plan, database_name: str, root: Path = ROOT) -> list[str]:
    """This checkout's kept databases (and templates) made for other migrations."""
    prefix = kept_prefix(database_name, root)
    return sorted(
        name for name in existing if name.startswith(prefix) and _run_of(name) != current.name
    )


def _server(settings_dict: dict):
    """A connection to the server's own `postgres` database, for creating and dropping."""
    import psycopg

    return psycopg.connect(**_params(settings_dict, "postgres"), autocommit=True)


def _params(settings_dict: dict, dbname: str) -> dict:
    params = {
        "dbname": dbname,
        "user": settings_dict.get("USER") or None,
        "password": settings_dict.get("PASSWORD") or None,
        "host": settings_dict.get("HOST") or None,
        "port": settings_dict.get("PORT") or None,
    }
    return {k: v for k, v in params.items() if v}


def ensure_template(settings_dict: dict, name: str) -> bool:
    """Migrate the database `name` once, if it does not exist yet; True if it was made now.

    It is built under another name and renamed when complete, so a run stopped halfway
    leaves no half-migrated template for the next run to copy; the advisory lock keeps two
    runs from building the same one at once."""
    from psycopg import sql

    building = f"{name}_building"
    with _server(settings_dict) as conn:
        conn.execute("SELECT pg_advisory_lock(hashtext(%s))", [name])
        try:
            if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                return False
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(building)))
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(building)))
            _migrate(settings_dict, building)
            conn.execute(
                sql.SQL("ALTER DATABASE {} RENAME TO {}").format(
                    sql.Identifier(building), sql.Identifier(name)
                )
            )
            return True
        finally:
            conn.execute("SELECT pg_advisory_unlock(hashtext(%s))", [name])


def _migrate(settings_dict: dict, dbname: str) -> None:
    """`manage.py migrate` into `dbname`, in a process of its own (this one's settings name
    the test database), with the test settings, as pytest-django would migrate it."""
    from urllib.parse import quote

    params = _params(settings_dict, dbname)
    credentials = quote(params.get("user", ""))
    if params.get("password"):
        credentials += ":" + quote(params["password"])
    address = f"{params.get('host', '')}:{params['port']}" if params.get("port") else ""
    address = address or params.get("host", "")
    url = f"postgres://{credentials}@{address}/{dbname}"
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "vru.test_settings"}
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )


def drop(settings_dict: dict, name: str) -> None:
    from psycopg import sql

    with _server(settings_dict) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def drop_stale(settings_dict: dict, current: Plan) -> list[str]:
    """Drop this checkout's databases kept for migrations it no longer has."""
    from psycopg import sql

    with _server(settings_dict) as conn:
        existing = [row[0] for row in conn.execute("SELECT datname FROM pg_database")]
        dropped = stale(existing, current, settings_dict["NAME"])
        for name in dropped:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
    return dropped


def is_postgresql(settings_dict: dict) -> bool:
    return settings_dict["ENGINE"] in POSTGRESQL_ENGINES
