from django.urls import path

from rights.views import pages, privacy

app_name = "rights"

urlpatterns = [
    path("requests/", pages.request_list, name="request_list"),
    path("requests/new/", pages.request_create, name="request_create"),
    path("requests/<int:pk>/", pages.request_detail, name="request_detail"),
    path("requests/<int:pk>/extend/", pages.request_extend, name="request_extend"),
    path("requests/<int:pk>/finish/", pages.request_finish, name="request_finish"),
    path("requests/<int:pk>/gather/", pages.request_gather, name="request_gather"),
    path(
        "requests/<int:pk>/gather-again/", pages.request_gather_again, name="request_gather_again"
    ),
    path("requests/<int:pk>/erasure/", pages.erasure_decide, name="erasure_decide"),
    path("requests/<int:pk>/review/", pages.request_review, name="request_review"),
    path("requests/<int:pk>/items/<int:item_pk>/redact/", pages.item_redact, name="item_redact"),
    path(
        "requests/<int:pk>/redactions/<int:redaction_pk>/remove/",
        pages.redaction_remove,
        name="redaction_remove",
    ),
    path("requests/<int:pk>/download/", pages.bundle_download, name="bundle_download"),
    path("privacy/", privacy.privacy_index, name="privacy"),
    path("privacy/<slug:audience>/", privacy.privacy_notice, name="privacy_notice"),
]
