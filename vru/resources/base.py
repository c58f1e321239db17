"""What every resource of the core shares: list, yes/no and day widgets, and the base that
binds a resource to one partnership."""

from django.core.exceptions import ValidationError
from import_export import resources, widgets

from vru.models import Partnership

LIST_SEPARATOR = "|"


class PipeListWidget(widgets.Widget):
    """A list of short texts in one cell, separated by "|"."""

    def clean(self, value, row=None, **kwargs):
        if value is None or str(value).strip() == "":
            return []
        return [part.strip() for part in str(value).split(LIST_SEPARATOR) if part.strip()]

    def render(self, value, obj=None, **kwargs):
        if hasattr(value, "all"):  # a many-to-many manager, e.g. themes
            value = [str(item) for item in value.all()]
        return f" {LIST_SEPARATOR} ".join(value or [])


class YesNoWidget(widgets.BooleanWidget):
    TRUE_VALUES = ["yes", "y", "true", "1", "Yes", "YES", "True", "TRUE", 1, True]
    FALSE_VALUES = ["no", "n", "false", "0", "No", "NO", "False", "FALSE", "", 0, False, None]

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, str):
            value = value.strip()
        if value in self.TRUE_VALUES:
            return True
        if value in self.FALSE_VALUES:
            return False
        raise ValueError(f'Enter "yes" or "no", not "{value}".')

    def render(self, value, obj=None, **kwargs):
        return "yes" if value else "no"


class PartnershipForeignKeyWidget(widgets.ForeignKeyWidget):
    """Looks a related record up by name or code within one partnership, and says so when
    it is not there (instead of "matching query does not exist")."""

    def __init__(self, model, field: str, *, noun: str, partnership: Partnership | None = None):
        super().__init__(model, field=field)
        self.noun = noun
        self.partnership = partnership

    def get_queryset(self, value, row, *args, **kwargs):
        return self.model.objects.filter(partnership=self.partnership)

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except self.model.DoesNotExist:
            raise ValueError(f"There is no {self.noun} “{value}” in your partnership.") from None


class ScopedResource(resources.ModelResource):
    """Common settings: validate instances, report every row, never touch other partnerships.

    Made without a partnership, a resource only describes its columns (django-import-export's
    export form makes one with no arguments to list them): it reads no rows and imports none.
    """

    def __init__(self, *, partnership: Partnership | None = None, **kwargs):
        super().__init__(**kwargs)
        self.partnership = partnership
        self._rows_by_key: dict[tuple, int] = {}

    def before_import(self, dataset, **kwargs):
        if self.partnership is None:
            raise ValidationError("Choose the partnership to import into.", code="no_partnership")
        super().before_import(dataset, **kwargs)

    # The columns that name one record (default: those of the import id fields).
    duplicate_key_columns: tuple[str, ...] = ()

    def before_import_row(self, row, **kwargs):
        # Two rows for the same record would silently overwrite each other: refuse the second.
        columns = list(self.duplicate_key_columns) or [
            self.fields[name].column_name for name in self._meta.import_id_fields
        ]
        key = tuple(str(row.get(column) or "").strip() for column in columns)
        number = kwargs.get("row_number", 0) + 1  # as a spreadsheet counts: header is row 1
        if any(key) and key in self._rows_by_key:
            raise ValidationError(
                {columns[0]: f"{' / '.join(key)} is also on row {self._rows_by_key[key]}."}
            )
        self._rows_by_key.setdefault(key, number)
        super().before_import_row(row, **kwargs)

    def get_or_init_instance(self, instance_loader, row):
        # The columns that identify a record are read before anything else; one that cannot
        # be read is that cell's mistake (row, column, reason), not a failure of the row.
        errors = {}
        for name in self._meta.import_id_fields:
            field = self.fields[name]
            try:
                field.clean(row)
            except (ValueError, KeyError) as exc:
                errors[field.column_name] = ValidationError(str(exc).strip("'\""), code="invalid")
        if errors:
            raise ValidationError(errors)
        return super().get_or_init_instance(instance_loader, row)

    # Checked by vru.services.import_rows before any row is read.
    required_headers: tuple[str, ...] = ()


class DayWidget(widgets.DateWidget):
    """A date as the product's files write it (YYYY-MM-DD), with a message saying so."""

    def __init__(self):
        super().__init__("%Y-%m-%d")

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except ValueError:
            raise ValueError(
                f"Enter a date as year-month-day, for example 2024-03-31 (not “{value}”)."
            ) from None
