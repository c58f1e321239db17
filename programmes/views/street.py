"""Street work on a phone: the page (installable, works without a connection), its key, the
sync that takes the records made offline, and the service worker and manifest that make it
an app. Thin: the services store, the selectors read."""

import json
import secrets
import uuid

from allauth.core import context as allauth_context
from django.contrib import messages
from django.contrib.auth import HASH_SESSION_KEY
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
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


DEVICE_COOKIE = "vru_street_device"  # the phone's device id (not a secret), for signing out
# A secret the signed-in session keeps (in its data, on the server) once it has been handed a
# device's key: it lasts as long as the session stays signed in, through the new session key
# a password change gives it (update_session_auth_hash keeps the data), and no longer.
SESSION_MARK = "vru_street_mark"


def _session_mark(request) -> str:
    if SESSION_MARK not in request.session:
        request.session[SESSION_MARK] = secrets.token_urlsafe(32)
    return request.session[SESSION_MARK]


def _device_id(value):
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


@never_cache
@require_GET
def street_key(request):
    """The key this device's store is sealed with (?device=<the id the phone made>), handed
    to its own user signed in; and a fresh CSRF token for the sync (a page shell from the
    cache may hold an old one). Another user's device: 404. A device the server has ended:
    410, and the phone deletes its store. Signed out (an idle time-out), the sign-in page's
    redirect: the phone keeps its records and asks the worker to sign in again."""
    doors.require(permissions.can_use_street_work(request.user))
    device_id = _device_id(request.GET.get("device", ""))
    if device_id is None:
        return JsonResponse({"error": "Send ?device=<the id this phone made>."}, status=400)
    try:
        pair = services.street_key(
            actor=request.user, device_id=device_id, session_mark=_session_mark(request)
        )
    except services.NotTheirsError:
        raise Http404 from None
    except services.DeviceGoneError:
        return JsonResponse({"error": "This phone's key has been revoked."}, status=410)
    return JsonResponse({**pair, "csrf": get_token(request)})


@login_not_required
@never_cache
@require_GET
def street_device(request, device):
    """Asked by a phone whose session has ended: 410 Gone when the server has ended this
    device (revoked, its user made inactive or their password changed: the phone deletes
    its store), 204 when it only waits for its user to sign in again. Nothing else."""
    if services.street_device_gone(device_id=device):
        return HttpResponse(status=410)
    return HttpResponse(status=204)


def street_signed_out(sender, request, user, **kwargs):
    """Signing out (connected to user_logged_out): the phone the worker signs out on ends,
    found by the device id its street-work page keeps in a cookie. Only the sign-out itself
    (a POST to the sign-out page), never the idle time-out, which keeps the device."""
    if request is None or user is None or request.method != "POST":
        return
    if request.path_info != reverse("logout"):
        return
    device_id = _device_id(request.COOKIES.get(DEVICE_COOKIE, ""))
    if device_id is not None:
        services.street_device_signed_out(user=user, device_id=device_id)


def _changed_by_themselves(request, user) -> bool:
    """Is this request the user changing their own password from a session signed in as
    them, through a page that needs one? A page open to the signed-out (a reset by e-mail
    link) never is, even opened signed in: the link proves the mailbox, not the password."""
    if request is None or not hasattr(request, "session"):
        return False
    signed_in = getattr(request, "user", None)
    if signed_in is None or not signed_in.is_authenticated or signed_in.pk != user.pk:
        return False
    match = request.resolver_match  # @login_not_required marks the pages open to all
    return match is not None and getattr(match.func, "login_required", True)


def street_password_rehashed(sender, user, old_session_auth_hash, **kwargs):
    """The user's password hash was re-made, the password unchanged (connected to the core's
    password_rehashed, which every correct password check that upgrades the hash sends: a
    sign-in, a re-authentication, the old password on a change form). Their devices live
    until now are stamped with the new hash and keep their records. (The session the
    password was given in moves to the new hash too: vru.middleware.keep_session_on_rehash;
    so a password change after it in the same request keeps the phone in hand.)"""
    services.street_devices_restamp(user=user, old_stamp=old_session_auth_hash)


def street_password_changed(sender, instance, created=False, **kwargs):
    """A user's password was set (connected to the user model's post_save, which every door
    goes through: allauth's change, set and reset pages, the admin's password form, the
    changepassword command). Their street-work devices end, except, when they changed it
    themselves from this signed-in session, the devices that session was handed its key in
    (the phone in their hand keeps its unsent records). Said on the page that made the change."""
    if created or getattr(instance, "_password", None) is None:  # set_password() then save()
        return
    request = allauth_context.request  # the request being answered, if any
    signed_in = getattr(request, "user", None)
    actor = signed_in if signed_in is not None and signed_in.is_authenticated else None
    own = _changed_by_themselves(request, instance)
    kept, ended = services.street_password_changed(
        user=instance,
        actor=actor,
        # the session the change is made in (by its mark), and the password hash it was
        # signed in with: read before the door gives the session the new one
        session_mark=request.session.get(SESSION_MARK) if own else None,
        session_stamp=request.session.get(HASH_SESSION_KEY) if own else None,
    )
    if request is None or not (kept or ended):
        return
    by_someone_else = actor is not None and actor.pk != instance.pk
    whose = "their" if by_someone_else else "your"
    if kept and ended:
        told = (
            "Street work on this device keeps its unsent records; "
            f"it has been ended on your other devices ({ended})."
        )
    elif kept:
        told = "Street work on this device keeps its unsent records."
    else:
        told = f"Street work has been ended on {whose} devices ({ended})."
    messages.info(request, told, fail_silently=True)


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
