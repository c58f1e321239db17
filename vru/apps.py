from django.apps import AppConfig


class VruConfig(AppConfig):
    name = "vru"
    verbose_name = "VRU core"

    def ready(self) -> None:
        from allauth.mfa.signals import authenticator_added, authenticator_removed
        from django.contrib.auth.signals import user_logged_in

        from vru import checks  # noqa: F401 - registers the deploy checks
        from vru.middleware import (
            forget_mfa_check,
            keep_session_on_rehash,
            stamp_session_on_sign_in,
        )
        from vru.services.areas.crime_jobs import register_core_kinds
        from vru.services.postcode_jobs import register_postcode_kind
        from vru.signals import password_rehashed

        register_core_kinds()  # police.uk and area indicators: reviewed imports (vru.import_kinds)
        register_postcode_kind()  # the ONS postcode directory, the same way

        user_logged_in.connect(stamp_session_on_sign_in, dispatch_uid="vru-session-stamp")
        authenticator_removed.connect(forget_mfa_check, dispatch_uid="vru-forget-mfa-check")
        authenticator_added.connect(forget_mfa_check, dispatch_uid="vru-forget-mfa-added")
        # a password hash made again keeps the session the password was just given in
        password_rehashed.connect(keep_session_on_rehash, dispatch_uid="vru-keep-session-rehash")
