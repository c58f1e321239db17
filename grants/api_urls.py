from rest_framework.routers import SimpleRouter

from grants import api

app_name = "grants-api"
router = SimpleRouter()
router.register("grant-rounds", api.GrantRoundViewSet, basename="round")
router.register("grant-applications", api.ApplicationViewSet, basename="application")
router.register("grant-assignments", api.AssignmentViewSet, basename="assignment")
router.register("grant-scores", api.ScoreViewSet, basename="score")
router.register("grant-awards", api.AwardViewSet, basename="award")
urlpatterns = router.urls
