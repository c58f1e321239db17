"""Where a request came from, for the audit trail.

Services do not take a request (they run from views, the API, commands and tasks alike), so the
middleware keeps the caller's address in a context variable that `audit_record` reads.
"""

from contextvars import ContextVar

request_context: ContextVar[dict | None] = ContextVar("vru_request_context", default=None)


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = request_context.set(
            {
                "ip_address": request.META.get("REMOTE_ADDR") or None,
                "user_agent": request.META.get("HTTP_USER_AGENT", "")[:300],
                "request_path": request.path[:300],
            }
        )
        try:
            return self.get_response(request)
        finally:
            request_context.reset(token)
