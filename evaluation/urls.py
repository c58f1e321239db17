from django.urls import path

from evaluation import views

app_name = "evaluation"
urlpatterns = [
    path("listening/", views.exercise_list, name="exercise_list"),
    path("listening/new/", views.exercise_create, name="exercise_create"),
    path("listening/<int:pk>/", views.exercise_detail, name="exercise_detail"),
    path("listening/<int:pk>/publish/", views.exercise_publish, name="exercise_publish"),
    path("listening/<int:pk>/responses/", views.response_list, name="response_list"),
    path("listening/<int:pk>/responses/new/", views.response_create, name="response_create"),
    path("listening/<int:pk>/responses/import/", views.responses_import, name="responses_import"),
    path(
        "listening/<int:pk>/responses/imports/<int:job_pk>/",
        views.responses_import_job,
        name="responses_import_job",
    ),
    path(
        "listening/<int:pk>/responses/imports/<int:job_pk>/cancel/",
        views.responses_import_job_cancel,
        name="responses_import_job_cancel",
    ),
    path(
        "listening/<int:pk>/responses/imports/<int:job_pk>/undo/",
        views.responses_import_job_restore,
        name="responses_import_job_restore",
    ),
    path(
        "listening/<int:pk>/responses/<int:response_pk>/themes/",
        views.response_code,
        name="response_code",
    ),
    path("listening/<int:pk>/actions/new/", views.action_edit, name="action_create"),
    path("listening/<int:pk>/actions/<int:action_pk>/", views.action_edit, name="action_edit"),
    path("you-said-we-did/<slug:slug>/", views.you_said_we_did, name="you_said_we_did"),
    path("safeguarding/", views.safeguarding_alerts, name="safeguarding_alerts"),
    path(
        "safeguarding/<int:alert_pk>/handled/",
        views.safeguarding_alert_acknowledge,
        name="safeguarding_alert_acknowledge",
    ),
    # Evaluations, outcomes and value for money
    path("evaluations/", views.evaluation_list, name="evaluation_list"),
    path("evaluations/new/", views.evaluation_create, name="evaluation_create"),
    path("evaluations/<int:pk>/", views.evaluation_detail, name="evaluation_detail"),
    path("evaluations/<int:pk>/edit/", views.evaluation_edit, name="evaluation_edit"),
    path("evaluations/<int:pk>/benefits/new/", views.benefit_add, name="benefit_add"),
    path(
        "evaluations/<int:pk>/benefits/<int:assumption_pk>/remove/",
        views.benefit_remove,
        name="benefit_remove",
    ),
    path("outcomes/", views.outcome_summaries, name="outcome_summaries"),
    path("outcomes/scores/", views.outcome_score_list, name="outcome_score_list"),
    path(
        "outcomes/referrals/<int:referral_pk>/",
        views.referral_scores,
        name="referral_scores",
    ),
    path(
        "outcomes/referrals/<int:referral_pk>/scores/<int:score_pk>/remove/",
        views.outcome_score_delete,
        name="outcome_score_delete",
    ),
    path("value-for-money/", views.value_for_money, name="value_for_money"),
    path("reports/", views.report_list, name="report_list"),
    path("reports/new/", views.report_request, name="report_request"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/pdf/", views.report_pdf, name="report_pdf"),
    path("reports/<int:pk>/again/", views.report_request_again, name="report_request_again"),
]
