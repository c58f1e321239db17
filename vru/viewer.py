"""Who is asking: the signed-in user, loaded afresh for every request in one plain query, and
what we remember about them for that request only.

**One query a request.** A signed-in request needs its session, the user (active? password
unchanged since sign-in?), their partnership, their roles and, for casework, the programmes
they staff. Django loads the session and then the user through the ORM, two queries whose
building cost more than their running (docs/performance.md, "The signed-in floor"). Here
the session row, the user (through the session's ``UserSession`` row: allauth records one for
every signed-in session), the partnership, the roles and each app's facts (below) come back
in ONE hand-written query, built once per database and then only executed. Nothing about the
user is kept between requests, so a user made inactive, a role taken away or a programme's
staff changed counts from the very next request, and a session ended from "Your account"
(its row deleted) is signed out on its next request, whoever changed what and however (a
service, the admin, plain SQL).

**Facts, remembered for one request.** Roles, the programmes someone staffs, whether they
have a second factor: each is worked out at most once a request (``remembered``) and kept in
the request's scope, keyed by user, never on the user object across requests. A service that
changes a fact calls ``forget(user)`` so the rest of the same request sees the change.
Outside a request (a Celery task, the shell, a test calling a selector) there is no request
scope: facts are kept on the user instance instead, as Django keeps a loaded row, and the
services that change them forget them on the instance they were given.

Each app may contribute facts to the one query: its AppConfig's ``viewer_facts()`` returns
``Fact`` objects (see ``programmes.apps``), so the core never names another app's tables.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db import InterfaceError, OperationalError, connections, router
from django.utils import timezone

from vru.models import Partnership, User

# --- Facts, remembered for one request ------------------------------------------------------


class _RequestScope:
    __slots__ = ("facts", "offered")

    def __init__(self) -> None:
        self.facts: dict[Any, dict[str, Any]] = {}  # user pk -> fact name -> value
        self.offered: dict[Any, User] = {}  # users loaded with their session, not yet taken


_scope: ContextVar[_RequestScope | None] = ContextVar("vru_viewer_scope", default=None)
FACTS_ATTRIBUTE = "_viewer_facts"  # where facts live on an instance outside a request


@contextmanager
def request_scope() -> Iterator[None]:
    """Everything remembered inside is forgotten at the end (vru.middleware opens one per
    request; a long task may open its own)."""
    token = _scope.set(_RequestScope())
    try:
        yield
    finally:
        _scope.reset(token)


def _facts_of(user: User) -> dict[str, Any]:
    scope = _scope.get()
    if scope is None:
        return user.__dict__.setdefault(FACTS_ATTRIBUTE, {})
    return scope.facts.setdefault(user.pk, {})


def remembered[T](user: User, name: str, compute: Callable[[], T]) -> T:
    """``compute()`` once per request (per user and name); its value for the rest of it."""
    facts = _facts_of(user)
    try:
        return facts[name]
    except KeyError:
        value = facts[name] = compute()
        return value


def forget(user: User) -> None:
    """A fact about ``user`` changed (roles, programme staff, second factor): work it out
    again when next asked, in this request and on this instance."""
    scope = _scope.get()
    if scope is not None:
        scope.facts.pop(user.pk, None)
        scope.offered.pop(user.pk, None)
    user.__dict__.pop(FACTS_ATTRIBUTE, None)


# --- Facts loaded with the user ----------------------------------------------------------


@dataclass(frozen=True)
class Fact:
    """A fact loaded in the viewer's one query: ``select(connection)`` is a scalar subquery
    over the user row aliased ``u`` (one text value, or NULL), ``parse`` turns it into the
    value ``remembered(user, name, ...)`` returns."""

    name: str
    select: Callable[[Any], str]
    parse: Callable[[str | None], Any]


def text_list(connection, expression: str) -> str:
    """The SQL aggregate joining ``expression`` over rows with commas (values must hold none)."""
    if connection.vendor == "postgresql":
        return f"string_agg(({expression})::text, ',')"
    return f"group_concat({expression}, ',')"


def split(value: str | None) -> list[str]:
    return value.split(",") if value else []


def _role_assignments_table() -> str:
    from vru.models import RoleAssignment

    return RoleAssignment._meta.db_table


ROLES = Fact(
    name="roles",
    select=lambda connection: (
        f"SELECT {text_list(connection, 'r.role')} FROM {_role_assignments_table()} r "  # noqa: S608 - names from models
        "WHERE r.user_id = u.id"
    ),
    parse=lambda value: frozenset(split(value)),
)


def _facts() -> list[Fact]:
    from vru import extensions

    return [ROLES, *extensions.viewer_facts()]


# --- The one query ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Query:
    by_session: str  # session_data, then the user's columns (NULLs without a UserSession)
    by_id: str  # the user's columns
    user_fields: list[str]  # attnames, in column order
    partnership_fields: list[str]
    converters: list[tuple[list, Any]]  # per user and partnership column: converters, column
    facts: list[Fact]


@cache
def _query(alias: str) -> _Query:
    from allauth.usersessions.models import UserSession
    from django.contrib.sessions.models import Session

    connection = connections[alias]
    q = connection.ops.quote_name
    user_fields = list(User._meta.concrete_fields)
    partnership_fields = list(Partnership._meta.concrete_fields)
    facts = _facts()
    columns = ", ".join(
        [f"u.{q(f.column)}" for f in user_fields]
        + [f"p.{q(f.column)}" for f in partnership_fields]
        + [f"({fact.select(connection)})" for fact in facts]
    )
    partnership = f"LEFT JOIN {q(Partnership._meta.db_table)} p ON p.id = u.partnership_id"
    by_session = (
        f"SELECT s.session_data, {columns} FROM {q(Session._meta.db_table)} s "  # noqa: S608 - names from models
        f"LEFT JOIN {q(UserSession._meta.db_table)} us ON us.session_key = s.session_key "
        f"LEFT JOIN {q(User._meta.db_table)} u ON u.id = us.user_id {partnership} "
        "WHERE s.session_key = %s AND s.expire_date > %s"
    )
    by_id = f"SELECT {columns} FROM {q(User._meta.db_table)} u {partnership} WHERE u.id = %s"  # noqa: S608
    converters = []
    for table, fields in (("u", user_fields), ("p", partnership_fields)):
        for field in fields:
            column = field.get_col(table)
            functions = connection.ops.get_db_converters(column) + field.get_db_converters(
                connection
            )
            converters.append((functions, column))
    return _Query(
        by_session,
        by_id,
        [f.attname for f in user_fields],
        [f.attname for f in partnership_fields],
        converters,
        facts,
    )


def _user_from(query: _Query, alias: str, row, connection) -> User | None:
    """The user of a row (its columns from the user's id on), or None if it names none."""
    if row[0] is None:  # the session has no UserSession row, or no such user
        return None
    n_user = len(query.user_fields)
    n_columns = n_user + len(query.partnership_fields)
    values = []
    for value, (functions, column) in zip(row[:n_columns], query.converters, strict=True):
        for function in functions:
            value = function(value, column, connection)
        values.append(value)
    user = User.from_db(alias, query.user_fields, values[:n_user])
    partnership = None
    if values[n_user] is not None:
        partnership = Partnership.from_db(alias, query.partnership_fields, values[n_user:])
    user._state.fields_cache["partnership"] = partnership
    facts = {
        fact.name: fact.parse(value)
        for fact, value in zip(query.facts, row[n_columns:], strict=True)
    }
    user.__dict__[FACTS_ATTRIBUTE] = dict(facts)
    scope = _scope.get()
    if scope is not None:
        scope.facts[user.pk] = facts
    return user


def _cursor(connection):
    """PostgreSQL plans the query once per connection (vru.postgresql); elsewhere, a cursor."""
    prepared = getattr(connection, "prepared_cursor", None)
    return prepared() if prepared is not None else connection.cursor()


def _fetch_one(connection, sql: str, params: list):
    """One row of the viewer's query. When it is a request's first query, it is also the
    connection's health check (CONN_HEALTH_CHECKS): instead of Django's separate
    ``SELECT 1`` round trip, a connection found broken by this read is closed and the read
    runs once more on a new one, as a failed health check would have it."""
    checks = (
        connection.health_check_enabled
        and not connection.health_check_done
        and connection.connection is not None
        and not connection.in_atomic_block
    )
    if checks:
        connection.health_check_done = True
    try:
        with _cursor(connection) as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()
    except (OperationalError, InterfaceError):
        if not checks:
            raise
        connection.close()
    with _cursor(connection) as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def session_with_user(session_key: str) -> tuple[str, User | None] | None:
    """The live session's stored data and the user its UserSession row names (None when it
    has none), in one query; None when the session does not exist or has expired. The user
    is offered to ``load`` for this request: Django still decides from the session's data
    whether it is signed in, and as whom."""
    alias = router.db_for_read(User)
    connection = connections[alias]
    query = _query(alias)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    row = _fetch_one(connection, query.by_session, [session_key, now])
    if row is None:
        return None
    user = _user_from(query, alias, row[1:], connection)
    scope = _scope.get()
    if user is not None and scope is not None:
        scope.offered[user.pk] = user
    return row[0], user


def load(user_id) -> User | None:
    """The user with this id, with partnership, roles and the apps' facts: the one loaded
    with this request's session if it is that user, otherwise one query."""
    scope = _scope.get()
    if scope is not None:
        for pk in list(scope.offered):
            if str(pk) == str(user_id):
                return scope.offered.pop(pk)
    alias = router.db_for_read(User)
    connection = connections[alias]
    query = _query(alias)
    try:
        user_id = User._meta.pk.to_python(user_id)
    except Exception:  # a malformed id in a session signs nobody in
        return None
    row = _fetch_one(connection, query.by_id, [user_id])
    return None if row is None else _user_from(query, alias, row, connection)
