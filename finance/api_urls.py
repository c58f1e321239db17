from rest_framework.routers import SimpleRouter

from finance import api

app_name = "finance-api"
router = SimpleRouter()
router.register("funding-streams", api.FundingStreamViewSet, basename="funding-stream")
router.register("quarterly-spend", api.QuarterlySpendViewSet, basename="quarterly-spend")
urlpatterns = router.urls
