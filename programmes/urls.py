from django.urls import path

from programmes import pages, views

app_name = "programmes"
urlpatterns = [
    path("", pages.programme_list, name="programme_list"),
    path("<int:pk>/", pages.programme_detail, name="programme_detail"),
    path("caseload/", pages.caseload, name="caseload"),
    path("break-glass/", views.break_glass, name="break_glass"),
    path("referrals/new/", views.referral_create, name="referral_create"),
    path("referrals/import/", pages.referral_import, name="referral_import"),
    path("referrals/imports/<int:pk>/", pages.referral_import_job, name="referral_import_job"),
    path("referrals/<int:pk>/", views.referral_detail, name="referral_detail"),
    path("referrals/<int:pk>/contacts/", views.referral_contact, name="referral_contact"),
    path("referrals/<int:pk>/status/", views.referral_status, name="referral_status"),
    path("referrals/<int:pk>/outcomes/", views.referral_outcome, name="referral_outcome"),
    path("referrals/<int:pk>/assign/", views.referral_assign, name="referral_assign"),
    path(
        "referrals/<int:pk>/consent-withdrawn/",
        views.referral_consent_withdraw,
        name="referral_consent_withdraw",
    ),
    path("sessions/", pages.session_list, name="session_list"),
    path("sessions/new/", pages.session_create, name="session_create"),
    path("sessions/<int:pk>/", pages.session_detail, name="session_detail"),
    path("sessions/<int:pk>/attendees/", pages.session_attendees, name="session_attendees"),
    path(
        "sessions/<int:pk>/contacts/",
        pages.session_detached_contact,
        name="session_detached_contact",
    ),
]
