from django.contrib.auth.middleware import LoginRequiredMiddleware


class LoginRequiredExceptAPIMiddleware(LoginRequiredMiddleware):
    """Default deny for pages: every page needs a signed-in user unless marked
    @login_not_required. The API is left to DRF, which authenticates tokens itself and
    answers 401/403 in JSON instead of redirecting to the sign-in page."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path_info.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)
