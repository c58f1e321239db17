"""A list's queryset compiled to SQL once per shape, then only executed (PostgreSQL).

At a million referrals a list page's query runs in about a millisecond, and building and
compiling it through the ORM cost two (docs/performance.md, "Lists of referrals"). Here the
queryset is built by the same code as always, from its inputs (ids, times, cursor values),
but compiled only the first time its *shape* is seen (which roles, how many programmes,
which sort, which page size...); after that the stored SQL is executed with the new inputs
as its parameters, as a prepared statement (vru.postgresql), and its rows are converted as
the ORM would.

Which parameter is which input is found by compiling the shape twice, with two sets of
stand-in values that nothing else can equal; a parameter that is neither a constant (the
same in both) nor exactly one input's stand-in in both makes the shape uncacheable (the
ORM runs it). The caller's key must name everything the SQL's *shape* depends on; the
inputs may only fill its parameters. With ``VRU_CHECK_COMPILED_QUERIES`` (on in the tests)
every run also compiles through the ORM and fails loudly if the stored SQL and parameters
differ from it.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import IntegerField, QuerySet, Value
from django.db.models.expressions import RawSQL

MAX_SHAPES = 512


@dataclass(frozen=True)
class _Template:
    sql: str
    slots: list[int | None]  # per parameter: the input it takes, or None for a constant
    constants: list
    names: list[str]
    width: int | None  # columns of each row to keep (None: all)
    converters: dict
    using: str  # the database alias; each run converts with its own thread's connection


_templates: OrderedDict[Hashable, _Template | None] = OrderedDict()
# Threaded servers share the store: reading, reordering and evicting happen under one lock
# (compiling does not, so two threads may compile a new shape at once; both results are equal).
_lock = threading.Lock()


def _stand_ins(kinds: Sequence[type], n: int) -> list:
    """Values of each kind that no real input or constant equals, different for n=1, 2."""
    values = []
    for k, kind in enumerate(kinds):
        if kind is int:
            values.append(-(n * 10**15) - k - 1)
        elif kind is datetime:
            values.append(datetime(1000 + n, 1, 1, tzinfo=UTC) + timedelta(microseconds=k + 1))
        elif kind is str:
            values.append(f"\x1fvru-stand-in-{n}-{k}")
        else:
            raise TypeError(f"inputs are int, datetime or str, not {kind}")
    return values


def _compile(queryset: QuerySet):
    compiler = queryset.query.get_compiler(queryset.db)
    sql, params = compiler.as_sql()
    return compiler, sql, list(params)


def _template(key: Hashable, build: Callable[[list], QuerySet], kinds: list[type]):
    with _lock:
        if key in _templates:
            _templates.move_to_end(key)
            return _templates[key]
    template = None
    first, second = _stand_ins(kinds, 1), _stand_ins(kinds, 2)
    try:
        compiler, sql, params = _compile(build(first))
        _, other_sql, other_params = _compile(build(second))
    except EmptyResultSet:
        compiler = None
    if compiler is not None and sql == other_sql and len(params) == len(other_params):
        slots: list[int | None] = []
        for one, two in zip(params, other_params, strict=True):
            if type(one) is type(two) and one == two:
                slots.append(None)
                continue
            found = [
                k
                for k, (a, b) in enumerate(zip(first, second, strict=True))
                if type(one) is type(a) and one == a and type(two) is type(b) and two == b
            ]
            if len(found) != 1:
                break
            slots.append(found[0])
        else:
            query = compiler.query
            names = (
                list(query.selected)
                if query.selected
                else [*query.extra_select, *query.values_select, *query.annotation_select]
            )
            template = _Template(
                sql=sql,
                slots=slots,
                constants=params,
                names=names,
                width=compiler.col_count if compiler.has_extra_select else None,
                converters=compiler.get_converters(
                    [s[0] for s in compiler.select[: compiler.col_count]]
                ),
                using=compiler.using,
            )
    with _lock:
        _templates[key] = template
        if len(_templates) > MAX_SHAPES:
            _templates.popitem(last=False)
    return template


def rows(
    key: Hashable,
    build: Callable[[list], QuerySet],
    kinds: list[type],
    inputs: list,
) -> list[dict] | None:
    """The rows of the ``.values()`` queryset ``build(inputs)`` (ordered and sliced), run
    from the SQL stored for ``key``; None when the shape cannot be stored (run it through
    the ORM then). ``kinds`` gives each input's type (int, datetime, str)."""
    template = _template(key, build, kinds)
    if template is None:
        return None
    params = [
        template.constants[i] if slot is None else inputs[slot]
        for i, slot in enumerate(template.slots)
    ]
    queryset = build(inputs) if settings.VRU_CHECK_COMPILED_QUERIES else None
    if queryset is not None:
        _, sql, expected = _compile(queryset)
        if (sql, expected) != (template.sql, params):
            raise AssertionError(f"stored SQL for {key!r} differs from the ORM's:\n{sql}")
    connection = connections[template.using]
    prepared = getattr(connection, "prepared_cursor", None)
    with prepared() if prepared is not None else connection.cursor() as cursor:
        cursor.execute(template.sql, params)
        fetched = cursor.fetchall()
    if template.width is not None:
        fetched = [row[: template.width] for row in fetched]
    if template.converters:
        fetched = _converted(fetched, template.converters, connection)
    names = template.names
    return [dict(zip(names, row, strict=True)) for row in fetched]


def _converted(rows: list, converters: dict, connection) -> list:
    """SQLCompiler.apply_converters, but with this thread's connection rather than the one
    of the thread that compiled the shape."""
    converters = list(converters.items())
    converted = []
    for row in map(list, rows):
        for pos, (functions, expression) in converters:
            value = row[pos]
            for convert in functions:
                value = convert(value, expression, connection)
            row[pos] = value
        converted.append(row)
    return converted


def prepared_rows(queryset: QuerySet) -> list[dict]:
    """The rows of a ``.values()`` queryset (ordered and sliced), compiled by the ORM as
    always but run as a statement PostgreSQL plans once per connection (vru.postgresql):
    for a list's page, planning took longer than running. Elsewhere, the ORM's rows."""
    connection = connections[queryset.db]
    prepared = getattr(connection, "prepared_cursor", None)
    if prepared is None:
        return list(queryset)
    try:
        compiler, sql, params = _compile(queryset)
    except EmptyResultSet:
        return []
    query = compiler.query
    names = [*query.extra_select, *query.values_select, *query.annotation_select]
    with prepared() as cursor:
        cursor.execute(sql, params)
        fetched = cursor.fetchall()
    converters = compiler.get_converters([s[0] for s in compiler.select[: compiler.col_count]])
    if converters:
        fetched = _converted(fetched, converters, connection)
    return [dict(zip(names, row, strict=True)) for row in fetched]


def count_expression(queryset: QuerySet):
    """COUNT(*) of the queryset's records as an expression for another query's SELECT list
    (uncorrelated: the database runs it once), without the joins that query's rows need:
    a page and the count of its whole list in one query."""
    try:
        sql, params = queryset.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:  # none(): nothing to count
        return Value(0, output_field=IntegerField())
    # Django's own SQL for the queryset, its values still parameters: nothing typed
    return RawSQL(  # noqa: S611
        f"SELECT COUNT(*) FROM ({sql}) AS counted",  # noqa: S608
        params,
        output_field=IntegerField(),
    )
