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

core_pages = [
    path("neighbourhoods/", views.lsoa_list, name="lsoa_list"),
    path("neighbourhoods/<str:code>/", views.lsoa_detail, name="lsoa_detail"),
    path("needs-assessments/", views.sna_list, name="sna_list"),
    path("needs-assessments/<int:pk>/", views.sna_detail, name="sna_detail"),
    path("needs-assessments/<int:pk>/document", views.sna_document, name="sna_document"),
    path("success-measures/", views.success_measures, name="success_measures"),
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
