from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from vru import api_views, views
from vru.forms import SignInForm
from vru.views import areas as area_views


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

core_pages = [
    path("neighbourhoods/", views.lsoa_list, name="lsoa_list"),
    path("neighbourhoods/<str:code>/", views.lsoa_detail, name="lsoa_detail"),
    path("needs-assessments/", views.sna_list, name="sna_list"),
    path("needs-assessments/<int:pk>/", views.sna_detail, name="sna_detail"),
    path("needs-assessments/<int:pk>/document", views.sna_document, name="sna_document"),
    path("success-measures/", views.success_measures, name="success_measures"),
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
    path("crime-imports/", area_views.crime_import, name="crime_import"),
    path("area-indicators/", area_views.indicator_import, name="indicator_import"),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("", include((core_pages, "vru"))),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("healthz", views.healthz, name="healthz"),
    path(
        "favicon.ico",
        login_not_required(FaviconView.as_view()),
    ),
    path(
        "accounts/login/",
        login_not_required(
            auth_views.LoginView.as_view(
                redirect_authenticated_user=True, authentication_form=SignInForm
            )
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("api/", include((router.urls, "api"))),
    # Each app mounts its pages under its own prefix and its API under /api/.
    path("programmes/", include("programmes.urls")),
    path("api/", include("programmes.api_urls")),
    path("grants/", include("grants.urls")),
    path("api/", include("grants.api_urls")),
    path("evaluation/", include("evaluation.urls")),
    path("api/", include("evaluation.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
]
