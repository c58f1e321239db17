"""Street work on a phone: the page (installable, works without a connection), its key, the
sync that takes the records made offline, and the service worker and manifest that make it
an app. Thin: the services store, the selectors read."""

import json

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from programmes import permissions, selectors, services
from programmes.inputs import street as street_input
from programmes.models import Gender
from vru import doors
from vru.age_bands import AgeBand


@require_GET
def street_page(request):
    programmes = selectors.programmes_for_referrals(viewer=request.user)
    doors.require(permissions.can_use_street_work(request.user) and programmes.exists())
    return render(
        request,
        "programmes/street.html",
        {
            "programmes": programmes,
            "usual_places": selectors.usual_places(viewer=request.user),
            "colleagues": selectors.street_colleagues(viewer=request.user),
            "age_bands": AgeBand.choices,
            "genders": Gender.choices,
        },
    )


@never_cache
@require_GET
def street_key(request):
    """The key the page encrypts its store with (for this signed-in session only), and a
    fresh CSRF token for the sync (a page shell from the cache may hold an old one)."""
    doors.require(permissions.can_use_street_work(request.user))
    pair = services.street_key(actor=request.user, session=request.session)
    return JsonResponse({**pair, "csrf": get_token(request)})


@never_cache
@require_POST
def street_sync(request):
    """A batch of records from the phone: {"records": [...]}; each answered stored,
    duplicate or refused (with the reason), in order."""
    doors.require(permissions.can_use_street_work(request.user))
    try:
        body = json.loads(request.body or b"null")
    except ValueError:
        body = None
    records = body.get("records") if isinstance(body, dict) else None
    if not isinstance(records, list) or len(records) > street_input.MAX_RECORDS:
        return JsonResponse(
            {"error": f"Send {{'records': [...]}}, at most {street_input.MAX_RECORDS}."},
            status=400,
        )
    results = services.street_records_store(actor=request.user, records=records)
    return JsonResponse({"results": results, "received_at": timezone.now().isoformat()})


@login_not_required
@require_GET
def street_service_worker(request):
    """The service worker, served from the street page's own path so that its scope is
    that page (it holds nothing of anyone's: the page shell and its static files)."""
    script = render_to_string("programmes/street_sw.js", request=request)
    response = HttpResponse(script, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


@login_not_required
@require_GET
def street_manifest(request):
    manifest = render_to_string("programmes/street.webmanifest", request=request)
    return HttpResponse(manifest, content_type="application/manifest+json")
