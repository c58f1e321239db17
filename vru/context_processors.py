from django.conf import settings

from vru import extensions, permissions
from vru.extensions import url as reverse
from vru.selectors import disclosure


def navigation(request) -> dict:
    """The service navigation for the signed-in user: only the pages their roles may open."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    items = [("Home", reverse("home"))]
    if permissions.can_view_areas(user):
        items.append(("Neighbourhoods", reverse("vru:lsoa_list")))
        items.append(("Risk index", reverse("vru:risk_map")))
    if permissions.can_view_strategy(user):
        items.append(("Needs assessments", reverse("vru:sna_list")))
        items.append(("Success measures", reverse("vru:success_measures")))
    items.extend(extensions.navigation_items(user))
    if permissions.can_use_admin_site(user):
        items.append(("Administration", reverse("admin:index")))
    path = request.path
    # one item is active (GOV.UK service navigation): the one whose address is the longest
    # start of this page's ("Caseload" on the caseload, not "Programmes" as well)
    within = [url for _, url in items if (path == url if url == "/" else path.startswith(url))]
    active = max(within, key=len, default=None)
    return {
        "mfa_required": settings.VRU_MFA_REQUIRED and permissions.must_use_mfa(user),
        "navigation": [
            {
                "label": label,
                "url": url,
                "active": url == active,
                "current": path == url,  # the page itself, not only its section
            }
            for label, url in items
        ],
    }


def small_numbers(request) -> dict:
    """How small counts are shown, for the pages that explain it (vru.disclosure)."""
    threshold = disclosure.threshold()
    return {
        "small_numbers": {
            "threshold": threshold,
            "largest_hidden": threshold - 1,
            "hidden": disclosure.hidden_mark(),
        }
    }
