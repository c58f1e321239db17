from django.urls import path
from rest_framework.routers import SimpleRouter

from finance import api

app_name = "finance-api"
router = SimpleRouter()
router.register("funding-streams", api.FundingStreamViewSet, basename="funding-stream")
router.register("quarterly-spend", api.QuarterlySpendViewSet, basename="quarterly-spend")
router.register("quarterly-returns", api.QuarterlyReturnViewSet, basename="quarterly-return")
router.register("contracts", api.ContractViewSet, basename="contract")
router.register("kpi-figures", api.KPIFigureViewSet, basename="kpi-figure")
urlpatterns = [
    *router.urls,
    path("fair-reach/", api.FairReachView.as_view(), name="fair-reach"),
]
