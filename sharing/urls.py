from django.urls import path

from sharing import views

app_name = "sharing"

urlpatterns = [
    path("", views.agreement_list, name="agreement_list"),
    path("agreements/new/", views.agreement_form, name="agreement_create"),
    path("agreements/<int:pk>/", views.agreement_detail, name="agreement_detail"),
    path("agreements/<int:pk>/change/", views.agreement_form, name="agreement_change"),
    path("agreements/<int:pk>/end/", views.agreement_end, name="agreement_end"),
    path(
        "agreements/<int:pk>/partner-token/",
        views.partner_token_issue,
        name="partner_token_issue",
    ),
    path(
        "agreements/<int:pk>/partner-tokens/<int:token_pk>/revoke/",
        views.partner_token_revoke,
        name="partner_token_revoke",
    ),
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/new/", views.organisation_form, name="organisation_create"),
    path("organisations/<int:pk>/", views.organisation_form, name="organisation_change"),
    path("disclosures/", views.disclosure_log, name="disclosure_log"),
    path("download-for-partner/", views.partner_download, name="partner_download"),
]
