from rest_framework.routers import SimpleRouter

from duty import api

app_name = "duty-api"
router = SimpleRouter()
router.register("duty-holders", api.DutyHolderViewSet, basename="duty-holder")
router.register("duty-strategies", api.StrategyViewSet, basename="strategy")
router.register(
    "readiness-assessments", api.ReadinessAssessmentViewSet, basename="readiness-assessment"
)
router.register("duty-actions", api.ActionViewSet, basename="action")
urlpatterns = router.urls
