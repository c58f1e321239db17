"""The core demo's rows (vru.demo.load_demo) for tests that need its data but are not about
loading it: the browser tests that walk real pages, the area data, the grants demo on top.

Loading the demo takes about 15 seconds. On PostgreSQL each test process loads it once (into
an empty database, in a transaction it then rolls back), copies out every table's rows with
COPY, and gives a test that needs the demo those same rows back with COPY, in well under a
second, with the same work asked for once they commit (the demo's outbox messages are
published): what the test sees is exactly what load_demo wrote. tests/vru/test_demo.py still
loads the demo itself, since loading is what it tests. On SQLite the demo is loaded each time.
"""

from contextlib import contextmanager
from dataclasses import dataclass

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connection, transaction
from psycopg import sql

from vru import demo

# The one table left alone. Content types and permissions are copied with the rest: a
# transactional test's flush makes them again with new ids, and the demo's rows refer to
# the ids they had when it was loaded.
KEPT = ("django_migrations",)


@dataclass(frozen=True)
class _Rows:
    tables: dict  # table -> COPY data
    logins: list
    after_commit: list  # (function, robust): what the demo asked to run once it commits


_rows: _Rows | None = None


def load_demo() -> list:
    """As vru.demo.load_demo() into an empty database: its rows, and its logins."""
    global _rows
    if connection.vendor != "postgresql":
        return demo.load_demo()
    with connection.cursor() as cursor:
        if _rows is None:
            _rows = _copy_out(cursor)
        with transaction.atomic():
            _empty(cursor, _tables(cursor))
            for table, data in _rows.tables.items():
                with cursor.copy(sql.SQL("COPY {} FROM STDIN").format(sql.Identifier(table))) as c:
                    c.write(data)
            models = apps.get_models(include_auto_created=True)
            for statement in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(statement)
            for function, robust in _rows.after_commit:
                transaction.on_commit(function, robust=robust)
    ContentType.objects.clear_cache()  # the ids cached may be those before the copy
    return list(_rows.logins)


@contextmanager
def rolled_back():
    """For a module's data: a transaction rolled back when the module ends, after which the
    content types cached in memory are those of the database again."""
    try:
        with transaction.atomic():
            yield
            transaction.set_rollback(True)
    finally:
        ContentType.objects.clear_cache()


def _tables(cursor) -> list[str]:
    return [t for t in connection.introspection.table_names(cursor) if t not in KEPT]


def _empty(cursor, tables: list[str]) -> None:
    names = sql.SQL(", ").join(sql.Identifier(t) for t in tables)
    cursor.execute(sql.SQL("TRUNCATE {}").format(names))


def _copy_out(cursor) -> _Rows:
    made_by_migrations = {"django_content_type", "auth_permission"}
    with transaction.atomic():
        _empty(cursor, [t for t in _tables(cursor) if t not in made_by_migrations])
        waiting = len(connection.run_on_commit)
        logins = demo.load_demo()
        # e.g. publishing its outbox messages: asked for again when the rows are copied in
        after_commit = [(f, robust) for _, f, robust in connection.run_on_commit[waiting:]]
        tables = {}
        for table in _tables(cursor):
            query = sql.SQL("COPY {} TO STDOUT").format(sql.Identifier(table))
            with cursor.copy(query) as c:
                data = b"".join(bytes(block) for block in c)
            if data:
                tables[table] = data
        transaction.set_rollback(True)
    return _Rows(tables=tables, logins=logins, after_commit=after_commit)
