from django.urls import path

from grants.views import (
    applicants,
    awards,
    decisions,
    organisations,
    panel,
    reviewers,
    staff,
)

app_name = "grants"
urlpatterns = [
    path("rounds/", staff.round_list, name="round_list"),
    path("rounds/new/", staff.round_create, name="round_create"),
    path("rounds/<int:pk>/", staff.round_detail, name="round_detail"),
    path("rounds/<int:pk>/assign", staff.round_assign, name="round_assign"),
    path("rounds/<int:pk>/moderation/", staff.round_moderation, name="round_moderation"),
    path("rounds/<int:pk>/apply", applicants.application_start, name="application_start"),
    path("applications/", staff.application_list, name="application_list"),
    path("applications/<int:pk>/", staff.application_detail, name="application_detail"),
    path("applications/<int:pk>/edit/", applicants.application_edit, name="application_edit"),
    path("applications/<int:pk>/files", applicants.attachment_upload, name="attachment_upload"),
    path(
        "applications/<int:pk>/files/<int:file_pk>",
        staff.attachment_download,
        name="attachment_download",
    ),
    path(
        "applications/<int:pk>/eligibility",
        staff.application_eligibility,
        name="application_eligibility",
    ),
    path("applications/<int:pk>/decision", decisions.application_decide, name="application_decide"),
    path("applications/<int:pk>/letter.pdf", decisions.decision_letter, name="decision_letter"),
    path("applications/<int:pk>/reviewers", staff.assignment_add, name="assignment_add"),
    path("assignments/<int:pk>/remove/", staff.assignment_remove, name="assignment_remove"),
    path("assignments/<int:pk>/release/", decisions.assignment_release, name="assignment_release"),
    path("organisations/", organisations.organisation_list, name="organisation_list"),
    path("organisations/new/", organisations.organisation_create, name="organisation_create"),
    path("organisations/<int:pk>/", organisations.organisation_detail, name="organisation_detail"),
    path("organisations/<int:pk>/edit/", organisations.organisation_edit, name="organisation_edit"),
    path(
        "organisation-members/<int:pk>/remove/",
        organisations.organisation_member_remove,
        name="organisation_member_remove",
    ),
    path("panel/", panel.panel, name="panel"),
    path("panel/<int:pk>/", panel.panel_member, name="panel_member"),
    path("reviews/", reviewers.review_list, name="review_list"),
    path("reviews/<int:pk>/", reviewers.review, name="review"),
    path("reviews/<int:pk>/check", reviewers.review_check, name="review_check"),
    path("awards/", awards.award_list, name="award_list"),
    path("awards/360giving.<str:fmt>", awards.award_360giving, name="award_360giving"),
    path("awards/<int:pk>/", awards.award_detail, name="award_detail"),
    path("tranches/<int:pk>/release/", awards.tranche_release, name="tranche_release"),
    path("returns/<int:pk>/", awards.monitoring_return, name="monitoring_return"),
]
