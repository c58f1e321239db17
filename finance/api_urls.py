from rest_framework.routers import SimpleRouter

from finance import api

app_name = "finance-api"
router = SimpleRouter()
router.register("funding-streams", api.FundingStreamViewSet, basename="funding-stream")
router.register("quarterly-spend", api.QuarterlySpendViewSet, basename="quarterly-spend")
router.register("quarterly-returns", api.QuarterlyReturnViewSet, basename="quarterly-return")
urlpatterns = router.urls
