from django.apps import AppConfig


class VruConfig(AppConfig):
    name = "vru"
    verbose_name = "VRU core"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from vru import checks  # noqa: F401 - registers the deploy checks
        from vru.middleware import stamp_session_on_sign_in

        user_logged_in.connect(stamp_session_on_sign_in, dispatch_uid="vru-session-stamp")
