"""API lists written without DRF's per-instance work, the same output as their serializers.

DRF copies a serializer's fields for every serializer it makes (a ModelSerializer builds
them from the model first), then looks each field up again for every record: most of the
time of a list of 50 rows, and of a record's nested lists. Two ways around it, each planned
once per serializer class:

- ``RowOutputSerializer``: a list read as plain rows (dicts from ``.values()`` of the
  fields' sources, ``row_fields``), so the page is one query with no model instance per row;
- ``represent`` (and ``PlannedOutputSerializer``, which writes each record with it): a plain
  serializer's output for objects, through the fields' own ``get_attribute`` and
  ``to_representation``, so every value is written as DRF writes it.

Each list's test holds its output equal to the full serializer's for the same records.
"""

from functools import cache, cached_property

from django.utils import timezone
from rest_framework import serializers
from rest_framework.fields import SkipField


def _iso_writer(zone):
    def write(value):
        # DateTimeField's ISO 8601 of an aware value, in the list's time zone
        text = value.astimezone(zone).isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    return write


class ListDateTimeField(serializers.DateTimeField):
    """A date and time as DateTimeField writes it, in the time zone current when the list
    was written: looked up once a list, not once a value (``writer``)."""

    @staticmethod
    def writer(zone):
        return _iso_writer(zone)

    def to_representation(self, value):
        return _iso_writer(timezone.get_current_timezone())(value)


@cache
def _row_plan(serializer_class, zone) -> tuple[tuple[str, str, object], ...]:
    """(output name, row key, the writer or None to pass the value) of each declared field,
    once per serializer and time zone. A ReadOnlyField passes the value as the database
    gives it; a field with a ``writer`` is planned for the zone; any other field writes
    with its own to_representation (a DecimalField's string, as the model's serializer)."""
    plan = []
    for name, field in serializer_class._declared_fields.items():
        writer = getattr(field, "writer", None)
        if writer is not None:
            write = writer(zone)
        elif isinstance(field, serializers.ReadOnlyField):
            write = None
        else:
            write = field.to_representation
        plan.append((name, field.source or name, write))
    return tuple(plan)


class RowOutputSerializer(serializers.Serializer):
    """An output serializer of list rows: dicts from ``.values(*row_fields())``, each field
    read from the row under its source ("*": the whole row, for a value made of several)."""

    @classmethod
    def row_fields(cls) -> list[str]:
        """The ``.values()`` a row needs: each field's source."""
        return [
            field.source or name
            for name, field in cls._declared_fields.items()
            if field.source != "*"  # read from the row's other fields
        ]

    @cached_property
    def _plan(self) -> tuple[tuple[str, str, object], ...]:
        return _row_plan(type(self), timezone.get_current_timezone())

    def to_representation(self, row):
        # Serializer.to_representation's loop, planned once a list (its per-field lookups
        # were most of the time of a page): None stays None, as there
        out = {}
        for name, key, write in self._plan:
            value = row if key == "*" else row[key]
            out[name] = value if write is None or value is None else write(value)
        return out


@cache
def _object_plan(serializer_class) -> tuple[tuple[str, object, object], ...]:
    """(output name, get_attribute, to_representation) of each readable field of a plain
    serializer, from one instance of it made once (its fields read nothing but the object)."""
    fields = serializer_class().fields
    return tuple(
        (name, field.get_attribute, field.to_representation)
        for name, field in fields.items()
        if not field.write_only
    )


def represent(serializer_class, instances) -> list[dict]:
    """``serializer_class(instances, many=True).data``, without making the serializer and
    copying its fields again on every call. For serializers of plain fields only (no
    nested serializer, related field or method field: those read the serializer's context)."""
    plan = _object_plan(serializer_class)
    out = []
    for instance in instances:
        row = {}
        for name, get, write in plan:
            try:
                value = get(instance)
            except SkipField:
                continue
            row[name] = None if value is None else write(value)
        out.append(row)
    return out


# A base for a plain output serializer (no nested serializer, related or method field) that
# writes each record through ``represent``: its fields made once, not copied (and, for a
# ModelSerializer, built from the model) for every list. No docstring: the API schema would
# show it as the description of every serializer built on it.
class PlannedOutputSerializer(serializers.Serializer):
    def to_representation(self, instance):
        return represent(type(self), [instance])[0]
