"""Django's PostgreSQL backend, reading timestamps with psycopg's own (C) loader.

Django wraps psycopg's timestamptz loader in a Python class to give the values its time
zone; a Python loader cannot use psycopg's C fast path, so each value cost about 6 us
against 0.7 us (measured at 1M referrals: a 50-row referral list reads 300 timestamps, and a
report or export reads hundreds of thousands). When the connection's time zone is UTC (as
Django sets it with USE_TZ and no database TIME_ZONE), psycopg's loader already returns
datetimes in datetime.timezone.utc, exactly what Django's would, so the wrapper only costs.
Any other time zone keeps Django's loader.

``prepared_cursor()`` gives a cursor whose statements are prepared on the server
(psycopg's prepared statements, with server-side parameters): parsed once per connection,
and planned once where PostgreSQL finds its generic plan as good as planning afresh. For the
short query every signed-in request runs (vru.viewer), planning cost more than running
(docs/performance.md, "The signed-in floor"). The choice at each execution is left to
PostgreSQL (``plan_cache_mode`` at ``auto``): it plans the referral page afresh every time
(about 0.4 ms), but forcing one generic plan per shape would cost that plan for an average
viewer, and a practitioner with few cases sorting by event date would walk the whole
partnership's index (docs/performance.md, "Lists of referrals"). Behind PgBouncer in
transaction mode this needs PgBouncer 1.21 or later with ``max_prepared_statements`` set.
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
