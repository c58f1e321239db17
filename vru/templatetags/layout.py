"""The parts of the layout every page shares (templates/base.html), written in Python.

Every signed-in page renders the menu, its sign-out form and the links to the stylesheets and
scripts, so their cost is part of every page: written with the template language (a loop with
conditions per menu item, a ``{% static %}`` lookup per file) they were about a fifth of a
plain page (docs/performance.md, "The signed-in floor"). The markup is the same; every value
from a record or a setting is escaped.

Load with ``{% load layout %}``.
"""

from functools import cache
from html import escape

from django import template
from django.core.signals import setting_changed
from django.middleware.csrf import get_token
from django.templatetags.static import static
from django.utils.safestring import mark_safe

from vru.extensions import url

register = template.Library()


@register.simple_tag
def static_file(path: str) -> str:
    """``{% static path %}``, looked up once per process: a file's address only changes with
    a new deployment (a new process) or a change of the storage settings (tests)."""
    return _static(path)


@cache
def _static(path: str) -> str:
    return static(path)


def _forget_static(*, setting, **kwargs) -> None:
    if setting in {"STORAGES", "STATIC_URL", "STATIC_ROOT", "DEBUG"}:
        _static.cache_clear()


setting_changed.connect(_forget_static)


@register.simple_tag
def page_url(name: str) -> str:
    """``{% url name %}`` for a page with no arguments, looked up once per URL configuration
    (vru.extensions.url, as the menu's): for the links a busy list repeats on every view."""
    return url(name)


def _item(label: str, href: str, *, active: bool, current: bool) -> str:
    label = escape(label)
    if not active:
        return (
            '<li class="govuk-service-navigation__item">'
            f'<a class="govuk-service-navigation__link" href="{escape(href)}">{label}</a></li>'
        )
    return (
        '<li class="govuk-service-navigation__item govuk-service-navigation__item--active">'
        f'<a class="govuk-service-navigation__link" href="{escape(href)}"'
        f' aria-current="{"page" if current else "true"}">'
        f'<strong class="govuk-service-navigation__active-fallback">{label}</strong></a></li>'
    )


@register.simple_tag(takes_context=True)
def service_navigation(context) -> str:
    """The menu's items (vru.context_processors.navigation), the user's partnership, "Your
    account" and the sign-out form: the <li>s of the signed-in menu."""
    request = context["request"]
    items = [
        _item(item["label"], item["url"], active=item["active"], current=item["current"])
        for item in context.get("navigation", ())
    ]
    partnership = request.user.partnership
    if partnership is not None and partnership.name:
        items.append(
            '<li class="govuk-service-navigation__item"><span class="govuk-service-navigation__text">'
            f'<span class="govuk-visually-hidden">Partnership: </span>{escape(partnership.name)}'
            "</span></li>"
        )
    items.append(_item("Your account", url("session_list"), active=False, current=False))
    items.append(
        '<li class="govuk-service-navigation__item">'
        f'<form method="post" action="{escape(url("logout"))}" class="vru-inline-form">'
        '<input type="hidden" name="csrfmiddlewaretoken"'
        f' value="{escape(get_token(request))}">'
        '<button type="submit" class="govuk-service-navigation__link vru-link-button">'
        "Sign out</button></form></li>"
    )
    return mark_safe("\n".join(items))
