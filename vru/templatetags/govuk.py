"""Template helpers: GOV.UK Frontend markup for Django forms, tables and messages.

Load with ``{% load govuk %}``. The field template ``templates/partials/field.html`` is
used by ``vru.forms.GovukFormRenderer`` and by ``{% govuk_field %}``.
"""

from django import template
from django.contrib.messages import constants as message_constants
from django.forms.utils import flatatt
from django.forms.widgets import (
    CheckboxInput,
    CheckboxSelectMultiple,
    FileInput,
    HiddenInput,
    Input,
    MultiWidget,
    PasswordInput,
    RadioSelect,
    Select,
    Textarea,
)
from django.http import QueryDict
from django.utils.html import format_html

from vru.forms import GovukDateInput

register = template.Library()

FIELD_TEMPLATE = "partials/field.html"

# Widget kind -> GOV.UK class for the control itself ("--error" is added when invalid).
_WIDGET_CLASSES = {
    "input": "govuk-input",
    "password": "govuk-input govuk-password-input__input govuk-js-password-input-input",
    "textarea": "govuk-textarea",
    "select": "govuk-select",
    "file": "govuk-file-upload",
    "checkbox": "govuk-checkboxes__input",
    "date": "",  # each box gets its classes from vru.forms.GovukDateInput
}
_ERROR_CLASSES = {
    "input": "govuk-input--error",
    "password": "govuk-input--error",
    "textarea": "govuk-textarea--error",
    "select": "govuk-select--error",
    "file": "govuk-file-upload--error",
    "date": "govuk-input--error",
}


# First match wins, so subclasses come before their bases: CheckboxSelectMultiple is a
# RadioSelect is a Select; ClearableFileInput, PasswordInput, HiddenInput are Inputs.
_KINDS = (
    (CheckboxSelectMultiple, "checkboxes"),
    (RadioSelect, "radios"),
    (Select, "select"),
    (CheckboxInput, "checkbox"),
    (FileInput, "file"),
    (HiddenInput, "hidden"),
    (PasswordInput, "password"),
    (Textarea, "textarea"),
    (Input, "input"),
    (GovukDateInput, "date"),
    (MultiWidget, "multi"),
)


@register.filter
def govuk_kind(bound_field):
    """Which GOV.UK pattern renders this field (see partials/field.html)."""
    widget = bound_field.field.widget
    return next((kind for cls, kind in _KINDS if isinstance(widget, cls)), "other")


def hint_id(bound_field):
    return f"{bound_field.auto_id}_helptext"


def error_id(bound_field):
    return f"{bound_field.auto_id}_error"


@register.filter
def govuk_described_by(bound_field):
    """IDs of the hint and error message, hint first (GOV.UK order)."""
    ids = []
    if bound_field.auto_id:
        if bound_field.help_text:
            ids.append(hint_id(bound_field))
        if bound_field.errors:
            ids.append(error_id(bound_field))
    return " ".join(ids)


@register.simple_tag
def govuk_widget(bound_field, extra_classes=""):
    """The field's own widget (value, name, autocomplete... kept) plus GOV.UK classes.

    ``{% govuk_widget field "govuk-input--width-10" %}``; classes already on the widget
    (``attrs={"class": ...}`` in the form) are kept too.
    """
    kind = govuk_kind(bound_field)
    classes = [_WIDGET_CLASSES.get(kind, "")]
    if bound_field.errors:
        classes.append(_ERROR_CLASSES.get(kind, ""))
    classes += [bound_field.field.widget.attrs.get("class", ""), extra_classes]
    attrs = {}
    if css_class := " ".join(c for c in classes if c):
        attrs["class"] = css_class
    if kind == "password":
        attrs.update(spellcheck="false", autocapitalize="none")
    described_by = govuk_described_by(bound_field)
    if described_by and kind not in ("radios", "checkboxes", "multi", "date"):
        attrs["aria-describedby"] = described_by
    return bound_field.as_widget(attrs=attrs)


@register.simple_tag
def govuk_choice_input(choice, css_class):
    """One radio/checkbox of a RadioSelect/CheckboxSelectMultiple with a GOV.UK class.

    ``choice`` is a BoundWidget from ``{% for choice in field %}``; its attrs already
    hold id, checked, required and aria-invalid as Django computed them.
    """
    data = choice.data
    attrs = {**data["attrs"], "class": css_class}
    value = "" if data["value"] is None else str(data["value"])
    return format_html(
        '<input type="{}" name="{}" value="{}"{}>',
        data["type"],
        data["name"],
        value,
        flatatt(attrs),
    )


@register.simple_tag
def govuk_field(bound_field, **options):
    """Render one field with partials/field.html whatever FORM_RENDERER is configured.

    Options go to the template: ``size`` ("s", "m", "l" or "xl": label/legend size) and
    ``input_class`` (extra classes on the control, e.g. "govuk-input--width-10").
    """
    return bound_field.render(
        template_name=FIELD_TEMPLATE, context={"field": bound_field, **options}
    )


@register.filter
def govuk_error_href(bound_field):
    """Where an error-summary link for this field should point: the first control."""
    if govuk_kind(bound_field) in ("radios", "checkboxes", "multi", "date"):
        return f"#{bound_field.auto_id}_0"
    return f"#{bound_field.id_for_label or bound_field.auto_id}"


@register.simple_tag
def govuk_error_list(form):
    """[{"text", "href"}] for an error summary: non-field errors, then each field's."""
    if not getattr(form, "errors", None):
        return []
    items = [{"text": error, "href": ""} for error in form.non_field_errors()]
    for bound_field in form:
        if bound_field.is_hidden:
            items += [{"text": error, "href": ""} for error in bound_field.errors]
            continue
        href = govuk_error_href(bound_field)
        items += [{"text": error, "href": href} for error in bound_field.errors]
    return items


@register.filter
def govuk_banner_groups(messages):
    """Django messages as at most two notification banners: success, then the rest."""
    success, important = [], []
    for message in messages or ():
        is_success = message.level == message_constants.SUCCESS
        (success if is_success else important).append(message)
    groups = []
    if success:
        groups.append({"type": "success", "title": "Success", "messages": success})
    if important:
        groups.append({"type": "important", "title": "Important", "messages": important})
    return groups


def _sort_key(current_sort):
    current_sort = current_sort or ""
    return current_sort.removeprefix("-"), current_sort.startswith("-")


@register.simple_tag(takes_context=True)
def govuk_sortable_th(context, label, key, current_sort="", *, numeric=False):
    """``{% govuk_sortable_th "Name" "name" current_sort %}``: header sorting by key (also
    what partials/sortable_th.html includes). The link toggles the column's direction and
    keeps the other query parameters, less the page's position, as
    ``{% querystring sort=... page=None cursor=None %}`` would: written here, since as a
    template it was a tenth of a list page's time. ``numeric=True`` right-aligns it."""
    request = context.get("request")
    params = request.GET.copy() if request is not None else QueryDict(mutable=True)
    params["sort"] = govuk_sort_link(key, current_sort)
    params.pop("page", None)
    params.pop("cursor", None)
    aria_sort = govuk_aria_sort(key, current_sort)
    return format_html(
        '<th scope="col" class="govuk-table__header{}"{}><a class="govuk-link vru-sort-link"'
        ' href="?{}">{}</a></th>',
        " govuk-table__header--numeric" if numeric else "",
        format_html(' aria-sort="{}"', aria_sort) if aria_sort else "",
        params.urlencode(),
        label,
    )


@register.filter
def govuk_sort_link(key, current_sort):
    """The ``sort`` value for a header link to ``key``: toggles the current column."""
    sorted_key, descending = _sort_key(current_sort)
    if sorted_key == key and not descending:
        return f"-{key}"
    return key


@register.filter
def govuk_aria_sort(key, current_sort):
    """aria-sort for ``key``: "ascending", "descending" or "" if not sorted by it."""
    sorted_key, descending = _sort_key(current_sort)
    if sorted_key != key:
        return ""
    return "descending" if descending else "ascending"


@register.simple_tag
def govuk_page_items(page_obj, on_each_side=1, on_ends=1):
    """Page numbers for the pagination component; None marks an ellipsis."""
    paginator = page_obj.paginator
    pages = paginator.get_elided_page_range(
        page_obj.number, on_each_side=on_each_side, on_ends=on_ends
    )
    return [None if page == paginator.ELLIPSIS else page for page in pages]


@register.filter
def govuk_minutes(duration):
    """A timedelta as "15 minutes" / "1 minute" (rounded up), e.g. for lockout pages."""
    minutes = max(1, -(-int(duration.total_seconds()) // 60))
    return f"{minutes} minute{'' if minutes == 1 else 's'}"
