from django.urls import path

from programmes.views import (
    caseload,
    corrections,
    imports,
    programmes,
    referrals,
    sessions,
    street,
)

app_name = "programmes"
urlpatterns = [
    path("", programmes.programme_list, name="programme_list"),
    path("<int:pk>/", programmes.programme_detail, name="programme_detail"),
    path("caseload/", caseload.caseload, name="caseload"),
    path("break-glass/", referrals.break_glass, name="break_glass"),
    path("referrals/new/", referrals.referral_create, name="referral_create"),
    path("referrals/import/", imports.referral_import, name="referral_import"),
    path("referrals/imports/<int:pk>/", imports.referral_import_job, name="referral_import_job"),
    path(
        "referrals/imports/<int:pk>/cancel/",
        imports.referral_import_job_cancel,
        name="referral_import_job_cancel",
    ),
    path(
        "referrals/imports/<int:pk>/undo/",
        imports.referral_import_job_restore,
        name="referral_import_job_restore",
    ),
    path("referrals/<int:pk>/", referrals.referral_detail, name="referral_detail"),
    path("referrals/<int:pk>/contacts/", referrals.referral_contact, name="referral_contact"),
    path("referrals/<int:pk>/status/", referrals.referral_status, name="referral_status"),
    path("referrals/<int:pk>/outcomes/", referrals.referral_outcome, name="referral_outcome"),
    path("referrals/<int:pk>/assign/", referrals.referral_assign, name="referral_assign"),
    path(
        "referrals/<int:pk>/consent-withdrawn/",
        referrals.referral_consent_withdraw,
        name="referral_consent_withdraw",
    ),
    path("referrals/<int:pk>/correct/", corrections.referral_correct, name="referral_correct"),
    path("contacts/<int:pk>/correct/", corrections.contact_correct, name="contact_correct"),
    path("outcomes/<int:pk>/correct/", corrections.outcome_correct, name="outcome_correct"),
    path("sessions/<int:pk>/correct/", corrections.session_correct, name="session_correct"),
    path("sessions/", sessions.session_list, name="session_list"),
    path("sessions/new/", sessions.session_create, name="session_create"),
    path("sessions/<int:pk>/", sessions.session_detail, name="session_detail"),
    path("sessions/<int:pk>/attendees/", sessions.session_attendees, name="session_attendees"),
    path(
        "sessions/<int:pk>/contacts/",
        sessions.session_detached_contact,
        name="session_detached_contact",
    ),
    path("street/", street.street_page, name="street"),
    path("street/key/", street.street_key, name="street_key"),
    path("street/devices/<uuid:device>/", street.street_device, name="street_device"),
    path("street/sync/", street.street_sync, name="street_sync"),
    path("street/sw.js", street.street_service_worker, name="street_service_worker"),
    path("street/manifest.webmanifest", street.street_manifest, name="street_manifest"),
]
