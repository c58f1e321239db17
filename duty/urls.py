from django.urls import path

from duty.views import pages

app_name = "duty"

urlpatterns = [
    path("", pages.overview, name="overview"),
    path("readiness/", pages.readiness, name="readiness"),
    path("readiness/new/", pages.readiness_form, name="readiness_create"),
    path("organisations/new/", pages.holder_form, name="holder_create"),
    path("organisations/<int:pk>/", pages.holder_form, name="holder_change"),
    path("strategies/<int:pk>/review/", pages.strategy_review, name="strategy_review"),
]
