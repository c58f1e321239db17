"""Django's PostgreSQL backend, reading timestamps with psycopg's own (C) loader.

Django wraps psycopg's timestamptz loader in a Python class to give the values its time
zone; a Python loader cannot use psycopg's C fast path, so each value cost about 6 us
against 0.7 us (measured at 1M referrals: a 50-row referral list reads 300 timestamps, and a
report or export reads hundreds of thousands). When the connection's time zone is UTC (as
Django sets it with USE_TZ and no database TIME_ZONE), psycopg's loader already returns
datetimes in datetime.timezone.utc, exactly what Django's would, so the wrapper only costs.
Any other time zone keeps Django's loader.

``prepared_cursor()`` gives a cursor whose statements PostgreSQL plans once per connection
and then only executes (psycopg's prepared statements, with server-side parameters): for
the short query every signed-in request runs (vru.viewer), planning cost more than running
(docs/performance.md, "The signed-in floor"). Each connection asks for one generic plan per
prepared statement (``plan_cache_mode``): left to choose, PostgreSQL kept planning the
referral lists' page afresh for every execution (0.84 ms against 0.44 ms at a million
referrals, half of it planning), since its estimate of the generic plan's cost came out
above the custom plans'. The lists' statements order by an index and stop at a page, so one
plan serves every viewer of a shape. Only prepared statements are affected: Django's own
queries send their values in the SQL. Behind PgBouncer in transaction mode this
needs PgBouncer 1.21 or later with ``max_prepared_statements`` set.
"""

import datetime

from django.db.backends.postgresql import base
from psycopg import adapters, pq

TIMESTAMPTZ_OID = adapters.types["timestamptz"].oid
NATIVE_TIMESTAMPTZ_LOADER = adapters.get_loader(TIMESTAMPTZ_OID, pq.Format.TEXT)


PREPARE_ONLY_WHEN_ASKED = 2**31 - 1  # executions before psycopg prepares unasked: never


class PreparedCursor(base.ServerBindingCursor):
    """Every statement prepared on the server (server-side parameters)."""

    def execute(self, query, params=None, *, prepare=None, binary=None):
        return super().execute(query, params, prepare=True, binary=binary)


class DatabaseWrapper(base.DatabaseWrapper):
    def _configure_connection(self, connection):
        super()._configure_connection(connection)
        connection.execute("SET plan_cache_mode = force_generic_plan")
        return True  # committed at once if the connection is not in autocommit

    def create_cursor(self, name=None):
        cursor = super().create_cursor(name)
        if self.timezone is datetime.UTC:
            cursor.adapters.register_loader(TIMESTAMPTZ_OID, NATIVE_TIMESTAMPTZ_LOADER)
        return cursor

    def prepared_cursor(self):
        """A cursor (wrapped as Django wraps every cursor, so its queries are counted and
        logged alike) whose statements are prepared on the server."""
        self.close_if_health_check_failed()
        self.ensure_connection()
        with self.wrap_database_errors:
            if self.connection.prepare_threshold is None:
                # Django turns psycopg's preparing off (None), which refuses even an explicit
                # prepare=True; no automatic preparing either way: Django's cursors bind their
                # parameters on the client, and psycopg never prepares those.
                self.connection.prepare_threshold = PREPARE_ONLY_WHEN_ASKED
            cursor = PreparedCursor(self.connection)
            if self.timezone is datetime.UTC:
                cursor.adapters.register_loader(TIMESTAMPTZ_OID, NATIVE_TIMESTAMPTZ_LOADER)
            return self._prepare_cursor(cursor)
