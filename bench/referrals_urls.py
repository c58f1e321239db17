"""The product's URLs plus /bench-min/: the minimal view the lists are compared with."""

from django.http import JsonResponse
from django.urls import path

from vru.urls import urlpatterns as product_urlpatterns


def minimal(request):
    return JsonResponse({"ok": True})


urlpatterns = [path("bench-min/", minimal), *product_urlpatterns]
