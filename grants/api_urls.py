from rest_framework.routers import SimpleRouter

app_name = "grants-api"
router = SimpleRouter()
urlpatterns = router.urls
