from django.urls import path

from duty.views import actions, annual_report, pages, partners

app_name = "duty"

urlpatterns = [
    path("", pages.overview, name="overview"),
    path("readiness/", pages.readiness, name="readiness"),
    path("your-area/", partners.area, name="area"),
    path("annual-report/", annual_report.annual_report, name="annual_report"),
    path("readiness/new/", pages.readiness_form, name="readiness_create"),
    path("organisations/new/", pages.holder_form, name="holder_create"),
    path("organisations/<int:pk>/", pages.holder_form, name="holder_change"),
    path("strategies/<int:pk>/review/", pages.strategy_review, name="strategy_review"),
    path("action-plan/", actions.action_plan, name="action_plan"),
    path("actions/new/", actions.action_create, name="action_create"),
    path("actions/<int:pk>/", actions.action_detail, name="action_detail"),
    path(
        "needs-assessments/<int:pk>/carry-forward/",
        actions.carry_forward,
        name="carry_forward",
    ),
    path(
        "recommendations/<int:pk>/",
        actions.recommendation_delivery,
        name="recommendation_delivery",
    ),
]
