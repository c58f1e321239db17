from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from vru import api_views, views

router = DefaultRouter()
router.register("lsoas", api_views.LSOAViewSet, basename="lsoa")
router.register("needs-assessments", api_views.NeedsAssessmentViewSet, basename="needs-assessment")
router.register("recommendations", api_views.RecommendationViewSet, basename="recommendation")
router.register("success-measures", api_views.SuccessMeasureViewSet, basename="success-measure")

# The API answers unauthenticated callers itself (401/403 JSON, token auth), so the
# login-redirect middleware must let its requests through.
for pattern in router.urls:
    pattern.callback.login_required = False
schema_view = SpectacularAPIView.as_view()
schema_view.login_required = False

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
        "accounts/login/",
        login_not_required(auth_views.LoginView.as_view(redirect_authenticated_user=True)),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("api/", include((router.urls, "api"))),
    path("api/schema/", schema_view, name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
]
