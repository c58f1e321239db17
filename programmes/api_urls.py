from rest_framework.routers import SimpleRouter

app_name = "programmes-api"
router = SimpleRouter()
urlpatterns = router.urls
