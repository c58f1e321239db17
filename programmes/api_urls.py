from rest_framework.routers import SimpleRouter

from programmes import api

app_name = "programmes-api"
router = SimpleRouter()
router.register("programmes", api.ProgrammeViewSet, basename="programme")
router.register("referrals", api.ReferralViewSet, basename="referral")
router.register("contacts", api.ContactViewSet, basename="contact")
router.register("outcomes", api.OutcomeViewSet, basename="outcome")
router.register("sessions", api.SessionViewSet, basename="session")
urlpatterns = router.urls
