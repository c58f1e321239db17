"""The disclosure control in templates: ``{{ n|shown_count:suppress }}`` (vru.disclosure)."""

from django import template

from vru.selectors import disclosure

register = template.Library()


@register.filter
def shown_count(count: int, suppress: bool) -> str:
    """The count, or "<5" (the threshold) when hidden from this viewer."""
    return disclosure.shown_count(count, suppress=bool(suppress))
