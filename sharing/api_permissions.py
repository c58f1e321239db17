"""The API's permission for partners' tokens (sharing.models.PartnerToken), in a module of
its own: settings name it among DRF's default permissions, which are read while DRF's views
load, so it imports nothing of DRF's views."""

from rest_framework import permissions


def partner_token(request):
    """The partner binding (sharing.models.PartnerToken) of the API token the request was
    made with, or None (a personal token, the browser's session)."""
    from sharing.models import PartnerToken

    if not hasattr(request, "_partner_token"):
        token = getattr(request, "auth", None)
        request._partner_token = (
            PartnerToken.objects.select_related("agreement", "recipient")
            .filter(token_id=getattr(token, "pk", None))
            .first()
            if token is not None and hasattr(token, "key_digest")
            else None
        )
    return request._partner_token


class PartnerTokensAtDisclosureDoorsOnly(permissions.BasePermission):
    """A partner's token reads only the API doors that record what they disclose (a view
    whose ``disclosure_actions`` names the action); everywhere else it is refused, so no
    personal data leaves with it unrecorded."""

    message = (
        "This token was issued for a partner organisation under an information-sharing "
        "agreement: it reads only the doors that record disclosures."
    )

    def has_permission(self, request, view) -> bool:
        if partner_token(request) is None:
            return True
        return getattr(view, "action", None) in getattr(view, "disclosure_actions", ())
