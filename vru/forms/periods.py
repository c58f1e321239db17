"""The period of a page of figures."""

from vru.forms.govuk import GovukDateField, GovukForm
from vru.periods import whole_period_error


class PeriodFilterForm(GovukForm):
    """The optional period of a page of figures (a dashboard, outcomes, costs and benefits),
    sent by GET. A date that is not real is shown beside its boxes and the period is left
    open. Whoever sees protected figures (``whole_only``) chooses a whole month, quarter or
    financial year (vru.periods.whole_period_error), so that two overlapping periods cannot
    be set against each other."""

    start = GovukDateField(required=False, help_text="For example, 1 4 2026")
    end = GovukDateField(required=False, help_text="For example, 31 3 2027")

    def __init__(self, *args, labels: tuple[str, str], whole_only: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.whole_only = whole_only
        for name, label in zip(("start", "end"), labels, strict=True):
            self.fields[name].label = label

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start and not self.errors:
            self.add_error(
                "end",
                f"{self.fields['end'].label} must be the same as or after "
                f"{self.fields['start'].label.lower()}",
            )
        message = whole_period_error(start, end, whole_only=self.whole_only)
        if message and not self.errors:
            self.add_error("start", message)
        return data

    def period(self):
        """The period to show: the one chosen, or all time while it is not allowed."""
        if not self.is_bound or not self.is_valid():
            return None, None
        return self.cleaned_data.get("start"), self.cleaned_data.get("end")
