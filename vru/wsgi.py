import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vru.settings")
application = get_wsgi_application()


def _warm_up() -> None:
    """Import every page's code and build the URL map now, as the worker starts, rather than
    inside the first request each worker answers (most of a second on the 2-core host)."""
    from django.urls import get_resolver

    get_resolver().reverse_dict  # noqa: B018 - the property builds the map


_warm_up()
