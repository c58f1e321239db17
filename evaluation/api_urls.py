from rest_framework.routers import SimpleRouter

from evaluation import api

app_name = "evaluation-api"
router = SimpleRouter()
router.register("evaluations", api.EvaluationViewSet, basename="evaluation")
router.register("outcome-summaries", api.OutcomeSummaryViewSet, basename="outcome-summary")
router.register("cost-benefit", api.CostBenefitViewSet, basename="cost-benefit")
urlpatterns = router.urls
