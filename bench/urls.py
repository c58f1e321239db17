"""The product's URLs plus the minimal view every list is compared with (bench/floors.py)."""

from django.urls import path

from bench.floors import MINIMAL_PATH, minimal
from vru.urls import urlpatterns as product_urlpatterns

urlpatterns = [path(MINIMAL_PATH.lstrip("/"), minimal), *product_urlpatterns]
