"""Import and export formats (django-import-export) for the core's reference data.

Each resource is bound to one partnership, so a file can only ever touch that partnership's
records. Rows are fully validated (model validators and constraints) before anything is saved;
`vru.services.import_rows` decides whether to save (all or nothing, or only the valid rows).
"""

from django.core.exceptions import ValidationError
from import_export import fields, resources, widgets

from vru.models import (
    LSOA,
    AreaIndicator,
    AreaProfile,
    ComparisonKind,
    CrimeImport,
    Hotspot,
    LocalAuthority,
    Partnership,
    PreventionStage,
    Recommendation,
    RiskRun,
    RiskScore,
    StrategicNeedsAssessment,
    SuccessMeasure,
    SuccessMeasureComparison,
    SuccessMeasureValue,
    Theme,
)

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


class LSOAResource(ScopedResource):
    local_authority_code = fields.Field(
        attribute="local_authority",
        column_name="local_authority_code",
        widget=widgets.ForeignKeyWidget(LocalAuthority, field="code"),
    )
    required_headers = ("code", "name", "local_authority_code")

    class Meta:
        model = LSOA
        import_id_fields = ["code"]
        fields = [
            "code",
            "name",
            "lsoa11_code",
            "local_authority_code",
            "population",
            "imd_score",
            "imd_decile",
        ]
        export_order = fields
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def __init__(self, *, partnership: Partnership | None = None, **kwargs):
        super().__init__(partnership=partnership, **kwargs)
        # Only this partnership's local authorities can be named in a row.
        self.fields["local_authority_code"].widget = PartnershipForeignKeyWidget(
            LocalAuthority, "code", noun="local authority", partnership=partnership
        )

    def get_export_queryset(self, request=None):
        return LSOA.objects.filter(partnership=self.partnership).select_related("local_authority")

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        if instance.pk and instance.partnership_id != self.partnership.pk:
            errors["code"] = [f"{instance.code} belongs to another partnership."]
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if getattr(instance, "local_authority_id", None):
            local_authority = instance.local_authority
            instance.partnership_id = self.partnership.pk
            instance.community_safety_partnership_id = (
                local_authority.community_safety_partnership_id
            )
        if errors:
            raise ValidationError(errors)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        exclude = list(errors)
        if "local_authority" in errors:
            # The partnership and CSP follow from the local authority: report one error.
            exclude += ["partnership", "community_safety_partnership"]
        try:
            # The code's uniqueness is checked by the instance loader, across partnerships.
            instance.full_clean(exclude=exclude, validate_unique=False)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)


class RecommendationResource(ScopedResource):
    intended_impacts = fields.Field(
        attribute="intended_impacts", column_name="intended_impacts", widget=PipeListWidget()
    )
    themes = fields.Field(attribute="themes", column_name="themes", widget=PipeListWidget())
    prevention_stage = fields.Field(attribute="prevention_stage", column_name="prevention_stage")
    required_headers = ("number", "text")

    class Meta:
        model = Recommendation
        import_id_fields = ["number"]
        fields = ["number", "text", "prevention_stage", "intended_impacts", "themes"]
        export_order = fields
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def __init__(
        self,
        *,
        partnership: Partnership | None = None,
        needs_assessment: StrategicNeedsAssessment | None = None,
        **kwargs,
    ):
        # No needs assessment: export only (the admin's export of selected recommendations).
        super().__init__(partnership=partnership, **kwargs)
        if needs_assessment is not None and (
            partnership is None or needs_assessment.partnership_id != partnership.pk
        ):
            raise ValueError("The SNA belongs to another partnership.")
        self.needs_assessment = needs_assessment

    def get_queryset(self):
        return Recommendation.objects.filter(needs_assessment=self.needs_assessment)

    def get_export_queryset(self, request=None):
        return self.get_queryset().prefetch_related("themes")

    def dehydrate_themes(self, recommendation):
        return f" {LIST_SEPARATOR} ".join(t.name for t in recommendation.themes.all())

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        instance.needs_assessment = self.needs_assessment
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        stage = (row.get("prevention_stage") or "").strip().lower()
        labels = {label.lower(): value for value, label in PreventionStage.choices}
        if stage in PreventionStage.values or stage == "":
            instance.prevention_stage = stage
        elif stage in labels:
            instance.prevention_stage = labels[stage]
        else:
            errors["prevention_stage"] = [
                f'"{row.get("prevention_stage")}" is not a prevention stage: use primary, '
                "secondary, tertiary or leave it blank."
            ]
        if errors:
            raise ValidationError(errors)

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        # Theme names are saved after the recommendation (save_m2m); keep them aside.
        if field.attribute == "themes":
            instance._theme_names = field.clean(row)
            return
        if field.attribute == "prevention_stage":
            return
        super().import_field(field, instance, row, is_m2m=is_m2m, **kwargs)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        # The default comparison cannot compare theme names in the file with Theme rows.
        if import_validation_errors or original is None or not original.pk:
            return False
        unchanged = all(
            getattr(instance, name) == getattr(original, name)
            for name in ("text", "prevention_stage", "intended_impacts")
        )
        themes_before = sorted(original.themes.values_list("name", flat=True))
        return unchanged and sorted(getattr(instance, "_theme_names", [])) == themes_before

    def save_m2m(self, instance, row, **kwargs):
        names = getattr(instance, "_theme_names", [])
        themes = []
        for name in names:
            theme, _ = Theme.objects.get_or_create(
                needs_assessment=self.needs_assessment, name=name
            )
            themes.append(theme)
        if not kwargs.get("dry_run") or kwargs.get("using_transactions"):
            instance.themes.set(themes)


class SuccessMeasureValueResource(ScopedResource):
    measure = fields.Field(
        attribute="measure",
        column_name="measure",
        widget=widgets.ForeignKeyWidget(SuccessMeasure, field="name"),
    )
    period_label = fields.Field(attribute="label", column_name="period_label")
    is_baseline = fields.Field(
        attribute="is_baseline", column_name="is_baseline", widget=YesNoWidget()
    )
    period_start = fields.Field(
        attribute="period_start", column_name="period_start", widget=DayWidget()
    )
    period_end = fields.Field(attribute="period_end", column_name="period_end", widget=DayWidget())
    source_table = fields.Field(attribute="source_table", column_name="source_table")
    required_headers = ("measure", "period_label", "period_start", "period_end", "value")

    class Meta:
        model = SuccessMeasureValue
        import_id_fields = ["measure", "period_start", "period_end"]
        fields = [
            "measure",
            "period_label",
            "period_start",
            "period_end",
            "value",
            "is_baseline",
            "source_table",
        ]
        export_order = fields
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def __init__(self, *, partnership: Partnership | None = None, **kwargs):
        super().__init__(partnership=partnership, **kwargs)
        self.fields["measure"].widget = PartnershipForeignKeyWidget(
            SuccessMeasure, "name", noun="success measure", partnership=partnership
        )

    def get_queryset(self):
        return SuccessMeasureValue.objects.filter(measure__partnership=self.partnership)

    def get_export_queryset(self, request=None):
        return self.get_queryset().select_related("measure")


class ComparisonKindWidget(widgets.Widget):
    """ "previous" or "baseline" (or the kind's words, "Against the baseline")."""

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip().lower()
        words = {label.lower(): kind for kind, label in ComparisonKind.choices}
        if text in ComparisonKind.values:
            return text
        if text in words:
            return words[text]
        raise ValueError(f'"{value}" is not a kind of comparison: use previous or baseline.')

    def render(self, value, obj=None, **kwargs):
        return value or ""


class ValueByPeriodWidget(widgets.Widget):
    """A value of the row's measure, named by its period: the start date in this column
    and the end date in `end_column` (YYYY-MM-DD)."""

    def __init__(self, *, partnership: Partnership | None, end_column: str):
        super().__init__()
        self.partnership = partnership
        self.end_column = end_column
        self.dates = widgets.DateWidget("%Y-%m-%d")

    def clean(self, value, row=None, **kwargs):
        start = self.dates.clean(value)
        end = self.dates.clean((row or {}).get(self.end_column))
        if start is None or end is None:
            raise ValueError(f"Give the period's start and {self.end_column} (YYYY-MM-DD).")
        name = str((row or {}).get("measure") or "").strip()
        found = SuccessMeasureValue.objects.filter(
            measure__partnership=self.partnership,
            measure__name=name,
            period_start=start,
            period_end=end,
        ).first()
        if found is None:
            raise ValueError(
                f"“{name}” has no value for {start:%-d %b %Y} to {end:%-d %b %Y}: "
                "import the value first."
            )
        return found

    def render(self, value, obj=None, **kwargs):
        return value.period_start.isoformat() if value else ""


class SuccessMeasureComparisonResource(ScopedResource):
    """The comparisons the needs assessment makes, one a row. Each value is named by its
    measure and period; the labels and the % change are written on export for reading and
    ignored on import (the change is always worked out from the two values)."""

    measure = fields.Field(
        attribute="measure",
        column_name="measure",
        widget=widgets.ForeignKeyWidget(SuccessMeasure, field="name"),
    )
    kind = fields.Field(attribute="kind", column_name="kind", widget=ComparisonKindWidget())
    earlier_period_label = fields.Field(
        attribute="earlier__label", column_name="earlier_period_label", readonly=True
    )
    earlier_period_start = fields.Field(attribute="earlier", column_name="earlier_period_start")
    earlier_period_end = fields.Field(
        attribute="earlier__period_end", column_name="earlier_period_end", readonly=True
    )
    later_period_label = fields.Field(
        attribute="later__label", column_name="later_period_label", readonly=True
    )
    later_period_start = fields.Field(attribute="later", column_name="later_period_start")
    later_period_end = fields.Field(
        attribute="later__period_end", column_name="later_period_end", readonly=True
    )
    source_table = fields.Field(attribute="source_table", column_name="source_table")
    note = fields.Field(attribute="note", column_name="note")
    change_percent = fields.Field(column_name="change_percent", readonly=True)
    required_headers = (
        "measure",
        "kind",
        "earlier_period_start",
        "earlier_period_end",
        "later_period_start",
        "later_period_end",
    )
    duplicate_key_columns = ("measure", "later_period_start", "later_period_end", "kind")

    class Meta:
        model = SuccessMeasureComparison
        import_id_fields = ["later_period_start", "kind"]
        fields = [
            "measure",
            "kind",
            "earlier_period_label",
            "earlier_period_start",
            "earlier_period_end",
            "later_period_label",
            "later_period_start",
            "later_period_end",
            "source_table",
            "note",
            "change_percent",
        ]
        export_order = fields
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def __init__(self, *, partnership: Partnership | None = None, **kwargs):
        super().__init__(partnership=partnership, **kwargs)
        self.fields["measure"].widget = PartnershipForeignKeyWidget(
            SuccessMeasure, "name", noun="success measure", partnership=partnership
        )
        self.fields["earlier_period_start"].widget = ValueByPeriodWidget(
            partnership=partnership, end_column="earlier_period_end"
        )
        self.fields["later_period_start"].widget = ValueByPeriodWidget(
            partnership=partnership, end_column="later_period_end"
        )

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        # The model names the values "earlier" and "later"; the file names their columns.
        try:
            super().validate_instance(instance, import_validation_errors, validate_unique)
        except ValidationError as exc:
            columns = {"earlier": "earlier_period_start", "later": "later_period_start"}
            raise ValidationError(
                {columns.get(key, key): messages for key, messages in exc.message_dict.items()}
            ) from None

    def get_queryset(self):
        return SuccessMeasureComparison.objects.filter(measure__partnership=self.partnership)

    def get_export_queryset(self, request=None):
        return self.get_queryset().select_related("measure", "earlier", "later")

    def dehydrate_change_percent(self, comparison) -> str:
        # Exported by staff (the admin), who see unsuppressed figures: the page's figure.
        from vru.selectors import percent_change

        change = percent_change(previous=comparison.earlier.value, current=comparison.later.value)
        return "" if change is None else str(change)


# --- Area data exports (issue 3): the querysets come from viewer-scoped selectors -----------


class RiskRunResource(resources.ModelResource):
    created_by = fields.Field(attribute="created_by__username", column_name="created_by")

    class Meta:
        model = RiskRun
        fields = [
            "id",
            "label",
            "status",
            "is_current",
            "period_start",
            "period_end",
            "top_percent",
            "lsoa_count",
            "priority_count",
            "weights",
            "method",
            "created_by",
            "created_at",
            "completed_at",
        ]
        export_order = fields


class RiskScoreResource(resources.ModelResource):
    """One row per LSOA with its rank, score, priority flag and every factor's input value."""

    lsoa_code = fields.Field(attribute="lsoa__code", column_name="lsoa_code")
    lsoa_name = fields.Field(attribute="lsoa__name", column_name="lsoa_name")
    local_authority = fields.Field(
        attribute="lsoa__local_authority__name", column_name="local_authority"
    )

    class Meta:
        model = RiskScore
        fields = [
            "rank",
            "lsoa_code",
            "lsoa_name",
            "local_authority",
            "score",
            "percentile",
            "is_priority",
            "inputs",
        ]
        export_order = fields


class HotspotResource(resources.ModelResource):
    factor = fields.Field(attribute="factor__name", column_name="factor")
    is_proxy = fields.Field(attribute="factor__is_proxy", column_name="factor_is_proxy")
    lsoa_code = fields.Field(attribute="lsoa__code", column_name="lsoa_code")
    lsoa_name = fields.Field(attribute="lsoa__name", column_name="lsoa_name")

    class Meta:
        model = Hotspot
        fields = [
            "factor",
            "is_proxy",
            "year",
            "lsoa_code",
            "lsoa_name",
            "observed",
            "expected",
            "p_value",
            "alpha",
            "persistence",
            "persistence_years",
            "is_new",
        ]
        export_order = fields


class AreaProfileResource(resources.ModelResource):
    trend_percent = fields.Field(attribute="trend_percent", column_name="trend_percent")

    class Meta:
        model = AreaProfile
        fields = [
            "month",
            "kind",
            "area_name",
            "offences",
            "population",
            "rate_per_1000",
            "rank",
            "previous_rate_per_1000",
            "trend_percent",
            "harm",
        ]
        export_order = fields


class CrimeImportResource(resources.ModelResource):
    class Meta:
        model = CrimeImport
        fields = [
            "id",
            "file_name",
            "months",
            "rows_read",
            "rows_counted",
            "skipped",
            "notes",
            "created_at",
        ]
        export_order = fields


class AreaIndicatorResource(resources.ModelResource):
    """The indicator import format, so an export can be edited and imported again."""

    lsoa_code = fields.Field(attribute="lsoa__code", column_name="lsoa_code")
    factor = fields.Field(attribute="factor__key", column_name="factor")

    class Meta:
        model = AreaIndicator
        fields = ["lsoa_code", "factor", "period", "period_start", "value", "source"]
        export_order = fields
