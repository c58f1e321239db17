"""Error pages, and the same errors in JSON under /api/.

DRF answers its own views' errors in JSON (vru.api.api_exception_handler). These cover what
happens before or outside a DRF view: a URL no route matches (such as /api/referrals/abc/,
whose ids are numbers), a request Django itself refuses (400, 403), and a server error.
"""

from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.views import defaults

API_PREFIX = "/api/"


def _api(request) -> bool:
    return request.path_info.startswith(API_PREFIX)


@login_not_required
def bad_request(request, exception):
    if _api(request):
        return JsonResponse({"detail": "Bad request."}, status=400)
    return defaults.bad_request(request, exception)


@login_not_required
def permission_denied(request, exception):
    if _api(request):
        return JsonResponse({"detail": "You do not have permission to do this."}, status=403)
    return defaults.permission_denied(request, exception)


@login_not_required
def page_not_found(request, exception):
    if _api(request):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception)


@login_not_required
def server_error(request):
    if _api(request):
        return JsonResponse(
            {"detail": "Something went wrong on our side. It has been logged; try again later."},
            status=500,
        )
    return defaults.server_error(request)
