"""Small-number suppression in templates: the same rule as evaluation.disclosure."""

from django import template

from evaluation.disclosure import shown_count as _shown_count

register = template.Library()


@register.filter
def shown_count(count: int, suppress: bool) -> str:
    """``{{ n|shown_count:suppress }}``: the count, or "<5" (the threshold) when hidden."""
    return _shown_count(count, suppress=bool(suppress))
