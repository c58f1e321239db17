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
"""

import fcntl
import hashlib
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


def stale(existing: list[str], current: Plan, database_name: str, root: Path = ROOT) -> list[str]:
    """This checkout's kept databases made for other migrations (with their xdist suffixes)."""
    prefix = kept_prefix(database_name, root)
    return sorted(
        name
        for name in existing
        if name.startswith(prefix) and name.split("_gw")[0] != current.name
    )


def drop_stale(settings_dict: dict, current: Plan) -> list[str]:
    """Drop this checkout's databases kept for migrations it no longer has."""
    import psycopg
    from psycopg import sql

    params = {
        "dbname": "postgres",
        "user": settings_dict.get("USER") or None,
        "password": settings_dict.get("PASSWORD") or None,
        "host": settings_dict.get("HOST") or None,
        "port": settings_dict.get("PORT") or None,
    }
    with psycopg.connect(**{k: v for k, v in params.items() if v}, autocommit=True) as conn:
        existing = [row[0] for row in conn.execute("SELECT datname FROM pg_database")]
        dropped = stale(existing, current, settings_dict["NAME"])
        for name in dropped:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
    return dropped


def is_postgresql(settings_dict: dict) -> bool:
    return settings_dict["ENGINE"] in POSTGRESQL_ENGINES
