"""The bare floor under gunicorn (bench/http_floors.py): the product's Django, settings and
URLs, served by a handler that loaded no middleware at all."""

import os

import django
from django.core.handlers.wsgi import WSGIHandler
from django.test.utils import override_settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
django.setup(set_prefix=False)
with override_settings(MIDDLEWARE=[]):
    application = WSGIHandler()
