from allauth.account import views as account_views
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from vru import api_views
from vru.views import account as account_pages
from vru.views import areas as area_views
from vru.views import crime_imports, home, indicator_imports, places, postcode_imports, strategy


class FaviconView(RedirectView):
    """Browsers ask for /favicon.ico on pages that name none (the admin, the API docs).
    The static URL is looked up per request: the manifest only exists after collectstatic."""

    permanent = True

    def get_redirect_url(self, *args, **kwargs):
        return static("vru/favicon.svg")


router = DefaultRouter()
router.register("lsoas", api_views.LSOAViewSet, basename="lsoa")
router.register("needs-assessments", api_views.NeedsAssessmentViewSet, basename="needs-assessment")
router.register("recommendations", api_views.RecommendationViewSet, basename="recommendation")
router.register("success-measures", api_views.SuccessMeasureViewSet, basename="success-measure")
router.register("risk-runs", api_views.RiskRunViewSet, basename="risk-run")
router.register("hotspots", api_views.HotspotViewSet, basename="hotspot")
router.register("area-profiles", api_views.AreaProfileViewSet, basename="area-profile")

# The allauth account pages we use (no sign-up, no e-mail management): each one GOV.UK styled
# through templates/allauth and templates/account.
account_urls = [
    path("login/", login_not_required(account_views.login), name="account_login"),
    path("logout/", account_views.logout, name="account_logout"),
    path("inactive/", account_views.account_inactive, name="account_inactive"),
    path("reauthenticate/", account_views.reauthenticate, name="account_reauthenticate"),
    path("password/change/", account_views.password_change, name="account_change_password"),
    path("password/set/", account_views.password_set, name="account_set_password"),
    path("password/reset/", account_views.password_reset, name="account_reset_password"),
    path(
        "password/reset/done/",
        account_views.password_reset_done,
        name="account_reset_password_done",
    ),
    re_path(
        r"^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$",
        account_views.password_reset_from_key,
        name="account_reset_password_from_key",
    ),
    path(
        "password/reset/key/done/",
        account_views.password_reset_from_key_done,
        name="account_reset_password_from_key_done",
    ),
    path("sessions/", account_pages.session_list, name="session_list"),
    path("sessions/end/", account_pages.session_end, name="session_end"),
    path("tokens/new/", account_pages.api_token_create, name="api_token_create"),
    path("tokens/<int:pk>/revoke/", account_pages.api_token_revoke, name="api_token_revoke"),
]


# Error pages, in JSON under /api/ (vru.views.errors).
handler400 = "vru.views.errors.bad_request"
handler403 = "vru.views.errors.permission_denied"
handler404 = "vru.views.errors.page_not_found"
handler500 = "vru.views.errors.server_error"


@login_not_required
def handler429(request, exception=None):
    """Too many attempts (allauth's rate limits on sign-in and password reset)."""
    response = render(request, "429.html", status=429)
    response["Retry-After"] = "60"
    return response


core_pages = [
    path("neighbourhoods/", places.lsoa_list, name="lsoa_list"),
    path("places/suggest/", places.place_suggest, name="place_suggest"),
    path("places/map/", places.place_map, name="place_map"),
    path("neighbourhoods/<str:code>/", places.lsoa_detail, name="lsoa_detail"),
    path("needs-assessments/", strategy.sna_list, name="sna_list"),
    path("needs-assessments/<int:pk>/", strategy.sna_detail, name="sna_detail"),
    path("needs-assessments/<int:pk>/document", strategy.sna_document, name="sna_document"),
    path("success-measures/", strategy.success_measures, name="success_measures"),
    # Issue 3: the risk index, hotspots, area profiles and police.uk imports.
    path("risk/", area_views.risk_map, name="risk_map"),
    path("risk/runs/", area_views.risk_run_list, name="risk_run_list"),
    path("risk/runs/new/", area_views.risk_run_create, name="risk_run_create"),
    path("risk/runs/<int:pk>/", area_views.risk_run_detail, name="risk_run_detail"),
    path(
        "risk/runs/<int:pk>/make-current/",
        area_views.risk_run_make_current,
        name="risk_run_make_current",
    ),
    path("risk/runs/<int:pk>/compare/", area_views.risk_run_compare, name="risk_run_compare"),
    path("risk/hotspots/", area_views.hotspot_list, name="hotspot_list"),
    path("area-profiles/", area_views.area_profile_list, name="area_profile_list"),
    path("crime-imports/", crime_imports.crime_import, name="crime_import"),
    path("crime-imports/<int:pk>/", crime_imports.crime_import_job, name="crime_import_job"),
    path(
        "crime-imports/<int:pk>/cancel/",
        crime_imports.crime_import_job_cancel,
        name="crime_import_job_cancel",
    ),
    path(
        "crime-imports/<int:pk>/undo/",
        crime_imports.crime_import_job_restore,
        name="crime_import_job_restore",
    ),
    path("area-indicators/", indicator_imports.indicator_import, name="indicator_import"),
    path(
        "area-indicators/<int:pk>/",
        indicator_imports.indicator_import_job,
        name="indicator_import_job",
    ),
    path(
        "area-indicators/<int:pk>/cancel/",
        indicator_imports.indicator_import_job_cancel,
        name="indicator_import_job_cancel",
    ),
    path(
        "area-indicators/<int:pk>/undo/",
        indicator_imports.indicator_import_job_restore,
        name="indicator_import_job_restore",
    ),
    path("postcode-imports/", postcode_imports.postcode_import, name="postcode_import"),
    path(
        "postcode-imports/<int:pk>/",
        postcode_imports.postcode_import_job,
        name="postcode_import_job",
    ),
    path(
        "postcode-imports/<int:pk>/cancel/",
        postcode_imports.postcode_import_job_cancel,
        name="postcode_import_job_cancel",
    ),
    path(
        "postcode-imports/<int:pk>/undo/",
        postcode_imports.postcode_import_job_restore,
        name="postcode_import_job_restore",
    ),
]

urlpatterns = [
    path("", home.home, name="home"),
    path("", include((core_pages, "vru"))),
    path("accessibility/", home.accessibility, name="accessibility"),
    path("healthz", home.healthz, name="healthz"),
    path(
        "favicon.ico",
        login_not_required(FaviconView.as_view()),
    ),
    # Signing in is django-allauth's flow (password, then the second factor); see settings.
    path("accounts/login/", login_not_required(account_views.login), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include(account_urls)),
    path("accounts/2fa/", include("allauth.mfa.urls")),
    path("admin/", admin.site.urls),
    path("api/", include((router.urls, "api"))),
    # Each app mounts its pages under its own prefix and its API under /api/.
    path("programmes/", include("programmes.urls")),
    path("api/", include("programmes.api_urls")),
    path("grants/", include("grants.urls")),
    path("api/", include("grants.api_urls")),
    path("evaluation/", include("evaluation.urls")),
    path("duty/", include("duty.urls")),
    path("rights/", include("rights.urls")),
    path("api/", include("rights.api_urls")),
    path("api/", include("duty.api_urls")),
    path("sharing/", include("sharing.urls")),
    path("api/", include("sharing.api_urls")),
    path("api/", include("evaluation.api_urls")),
    path("finance/", include("finance.urls")),
    path("api/", include("finance.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
]
