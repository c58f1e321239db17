from rest_framework.routers import SimpleRouter

from sharing import api

app_name = "sharing-api"
router = SimpleRouter()
router.register("sharing-organisations", api.SharingOrganisationViewSet, basename="organisation")
router.register("sharing-agreements", api.AgreementViewSet, basename="agreement")
router.register("disclosures", api.DisclosureViewSet, basename="disclosure")
urlpatterns = router.urls
