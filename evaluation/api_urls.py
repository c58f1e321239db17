from rest_framework.routers import SimpleRouter

app_name = "evaluation-api"
router = SimpleRouter()
urlpatterns = router.urls
