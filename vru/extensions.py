"""How the other apps plug into the core's pages without the core importing them.

The core must not import programmes, grants or evaluation (docs/architecture.md's one-way rule), yet
its navigation, home page and demo include their parts. Each app's AppConfig may define:

- ``navigation(user) -> list[tuple[str, str]]``: (label, url) items the user may open;
- ``home_sections(request) -> list[dict]``: each a context with a ``template`` key, rendered
  on the home page in app order;
- ``load_demo() -> list[str]``: load the app's demo data (idempotently) and return lines to
  print; called after the core's demo by ``manage.py load_demo``;
- ``viewer_facts() -> list[vru.viewer.Fact]``: facts about a user loaded in the same query as
  the signed-in user (vru.viewer), such as the programmes they staff.
"""

from functools import cache

from django.apps import apps
from django.urls import get_script_prefix, get_urlconf, reverse


def _hooks(name: str):
    for config in apps.get_app_configs():
        hook = getattr(config, name, None)
        if callable(hook):
            yield hook


def url(name: str) -> str:
    """A menu item's address (a URL name without arguments), looked up once per URL
    configuration and script prefix: the menu is on every page, and reverse() is not
    cheap (docs/performance.md, "The signed-in floor")."""
    return _url(name, get_urlconf(), get_script_prefix())


@cache
def _url(name: str, urlconf, prefix: str) -> str:
    return reverse(name, urlconf=urlconf)


def navigation_items(user) -> list[tuple[str, str]]:
    return [item for hook in _hooks("navigation") for item in hook(user)]


def home_sections(request) -> list[dict]:
    return [section for hook in _hooks("home_sections") for section in hook(request)]


def load_app_demos() -> list[str]:
    return [line for hook in _hooks("load_demo") for line in hook()]


def viewer_facts() -> list:
    return [fact for hook in _hooks("viewer_facts") for fact in hook()]
