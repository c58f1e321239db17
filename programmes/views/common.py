"""What the programme pages share beyond vru.doors: the referral a viewer may open."""

from programmes import selectors
from programmes.models import Referral
from vru import doors


def visible_referral(request, pk: int) -> Referral:
    return doors.found(selectors.referral_get(viewer=request.user, pk=pk))
