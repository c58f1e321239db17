"""The home page, the accessibility statement and the health check."""

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from vru import extensions, permissions, selectors


@require_GET
def home(request):
    user = request.user
    context = {
        "roles": sorted(user.role_names),
        "can_view_areas": permissions.can_view_areas(user),
        "can_view_strategy": permissions.can_view_strategy(user),
        "is_commissioner_view": permissions.sees_suppressed_figures(user),
    }
    context.update(selectors.home_figures(viewer=user))
    context["users"] = selectors.user_summary(viewer=user)
    context["app_sections"] = extensions.home_sections(request)
    if permissions.can_view_audit(user):
        context["recent_events"] = selectors.audit_event_list(viewer=user)[:5]
    return render(request, "vru/home.html", context)


@login_not_required
@require_GET
def accessibility(request):
    return render(request, "vru/accessibility.html")


@login_not_required
@never_cache
@require_GET
def healthz(request):
    """Database and broker status for load balancers and monitoring: no data, no login."""
    from django.conf import settings

    status = {"database": "ok", "broker": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        status["database"] = "unavailable"
    if settings.CELERY_TASK_ALWAYS_EAGER:
        status["broker"] = "not configured (tasks run in-process)"
    else:
        from vru.celery import app

        try:
            with app.connection_for_write() as conn:
                conn.ensure_connection(max_retries=1, timeout=2)
        except Exception:
            status["broker"] = "unavailable"
    healthy = status["database"] == "ok" and status["broker"] != "unavailable"
    return JsonResponse(status, status=200 if healthy else 503)
