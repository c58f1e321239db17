"""Recommendations and success-measure values and comparisons, as files."""

from django.core.exceptions import ValidationError
from import_export import fields, widgets

from vru.models import (
    ComparisonKind,
    Partnership,
    PreventionStage,
    Recommendation,
    StrategicNeedsAssessment,
    SuccessMeasure,
    SuccessMeasureComparison,
    SuccessMeasureValue,
    Theme,
)
from vru.resources.base import (
    LIST_SEPARATOR,
    DayWidget,
    PartnershipForeignKeyWidget,
    PipeListWidget,
    ScopedResource,
    YesNoWidget,
)


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
