"""The delivery partner's spreadsheet of responses (django-import-export)."""

from django.core.exceptions import ValidationError
from import_export import fields, resources, widgets

from evaluation.models import FeedbackResponse, Gender, ListeningExercise
from vru.age_bands import ListeningAgeBand
from vru.models import LSOA, LocalAuthority
from vru.resources import PipeListWidget, YesNoWidget


class ChoiceWidget(widgets.Widget):
    """Accepts a choice's value or its label, in any case ("14 to 15" or "14_15")."""

    def __init__(self, choices, *, noun: str, required: bool = True):
        super().__init__()
        self.lookup = {}
        for value, label in choices:
            self.lookup[str(value).lower()] = value
            self.lookup[str(label).lower()] = value
        self.noun = noun
        self.required = required
        self.labels = [label for _, label in choices]

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip().lower()
        if not text:
            if self.required:
                raise ValueError(f"Give the {self.noun}.")
            return ""
        if text not in self.lookup:
            raise ValueError(
                f"“{value}” is not a {self.noun}: use one of " + ", ".join(self.labels) + "."
            )
        return self.lookup[text]

    def render(self, value, obj=None, **kwargs):
        return value


class FeedbackResponseResource(resources.ModelResource):
    responded_on = fields.Field(
        attribute="responded_on", column_name="date", widget=widgets.DateWidget("%Y-%m-%d")
    )
    age_band = fields.Field(
        attribute="age_band",
        column_name="age_band",
        widget=ChoiceWidget(ListeningAgeBand.choices, noun="age band"),
    )
    gender = fields.Field(
        attribute="gender",
        column_name="gender",
        widget=ChoiceWidget(Gender.choices, noun="gender", required=False),
    )
    local_authority = fields.Field(attribute="local_authority", column_name="local_authority_code")
    lsoa = fields.Field(attribute="lsoa", column_name="lsoa_code")
    may_be_quoted = fields.Field(
        attribute="may_be_quoted", column_name="may_be_quoted", widget=YesNoWidget()
    )
    safeguarding_concern = fields.Field(
        attribute="safeguarding_concern",
        column_name="safeguarding_concern",
        widget=YesNoWidget(),
    )
    themes = fields.Field(attribute="themes", column_name="themes", widget=PipeListWidget())
    required_headers = ("date", "age_band", "question", "words")

    class Meta:
        model = FeedbackResponse
        import_id_fields = []  # every row is a new response
        fields = [
            "date",
            "venue",
            "local_authority_code",
            "lsoa_code",
            "age_band",
            "gender",
            "question",
            "words",
            "may_be_quoted",
            "safeguarding_concern",
            "themes",
        ]
        clean_model_instances = True
        skip_diff = True
        use_bulk = False

    def __init__(self, *, exercise: ListeningExercise, **kwargs):
        super().__init__(**kwargs)
        self.exercise = exercise
        self._themes = {t.name.lower(): t for t in exercise.themes.all()}
        self._local_authorities = {
            la.code: la for la in LocalAuthority.objects.filter(partnership=exercise.partnership)
        }

    def get_instance(self, instance_loader, row):
        return None

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        # Places and themes are looked up within the exercise's partnership by hand.
        if field.attribute in {"local_authority", "lsoa", "themes"}:
            return
        super().import_field(field, instance, row, is_m2m=is_m2m, **kwargs)

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        instance.exercise = self.exercise
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        la_code = str(row.get("local_authority_code") or "").strip()
        if la_code:
            instance.local_authority = self._local_authorities.get(la_code)
            if instance.local_authority is None:
                errors["local_authority_code"] = [
                    f"There is no local authority “{la_code}” in your partnership."
                ]
        lsoa_code = str(row.get("lsoa_code") or "").strip()
        if lsoa_code:
            instance.lsoa = LSOA.objects.filter(
                partnership=self.exercise.partnership, code=lsoa_code
            ).first()
            if instance.lsoa is None:
                errors["lsoa_code"] = [f"There is no neighbourhood “{lsoa_code}” in your area."]
            elif instance.local_authority is None:
                instance.local_authority = instance.lsoa.local_authority
        names = PipeListWidget().clean(row.get("themes"))
        unknown = [name for name in names if name.lower() not in self._themes]
        if unknown:
            errors["themes"] = ["Not in this exercise's codebook: " + ", ".join(unknown) + "."]
        instance._theme_list = [self._themes[n.lower()] for n in names if n.lower() in self._themes]
        day = instance.responded_on
        if day and not (self.exercise.period_start <= day <= self.exercise.period_end):
            errors["date"] = ["The date is outside the exercise's period."]
        if errors:
            raise ValidationError(errors)

    def dehydrate_local_authority(self, response):
        return response.local_authority.code if response.local_authority else ""

    def dehydrate_lsoa(self, response):
        return response.lsoa.code if response.lsoa else ""

    def dehydrate_themes(self, response):
        return " | ".join(theme.name for theme in response.themes.all())

    def save_m2m(self, instance, row, **kwargs):
        instance.themes.set(getattr(instance, "_theme_list", []))
