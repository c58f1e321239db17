from rest_framework.routers import SimpleRouter

from rights import api

app_name = "rights-api"
router = SimpleRouter()
router.register(
    "subject-access-requests", api.SubjectAccessRequestViewSet, basename="subject-access-request"
)
urlpatterns = router.urls
