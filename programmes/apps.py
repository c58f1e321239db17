from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "programmes"

    def ready(self) -> None:
        from django.conf import settings
        from django.contrib.auth.signals import user_logged_out
        from django.db.models.signals import post_save

        from programmes.services.imports.review import REFERRAL_IMPORTS
        from programmes.views.street import (
            street_password_changed,
            street_password_rehashed,
            street_signed_out,
        )
        from vru import import_kinds
        from vru.models import ImportJob
        from vru.signals import password_rehashed

        # custody spreadsheets: checked first, imported once confirmed, undoable (the core's
        # machinery for reviewed imports, which imports no app)
        import_kinds.register(ImportJob.Kind.REFERRALS, REFERRAL_IMPORTS)
        # signing out on a phone ends its street-work device
        user_logged_out.connect(street_signed_out, dispatch_uid="programmes.street_signed_out")
        # a password changed by any door ends the user's street-work devices, except the
        # phone of the session they changed it from themselves
        post_save.connect(
            street_password_changed,
            sender=settings.AUTH_USER_MODEL,
            dispatch_uid="programmes.street_password_changed",
        )
        # a password hash re-made for a new hasher (the password unchanged) keeps them all
        password_rehashed.connect(
            street_password_rehashed, dispatch_uid="programmes.street_password_rehashed"
        )

    def navigation(self, user) -> list[tuple[str, str]]:
        from programmes import permissions
        from vru.extensions import url as reverse

        items = []
        if permissions.can_view_programmes(user):
            items.append(("Programmes", reverse("programmes:programme_list")))
        if permissions.can_use_caseload(user):
            items.append(("Caseload", reverse("programmes:caseload")))
        return items

    def home_sections(self, request) -> list[dict]:
        from programmes import permissions, selectors

        user = request.user
        if not permissions.can_use_caseload(user):
            return []
        from django.db.models import Count, Q

        counts = selectors.referral_list(viewer=user).aggregate(
            awaiting=Count("id", filter=Q(awaiting_contact=True)),
            missed=Count("id", filter=Q(awaiting_contact=True, breached=True)),
        )
        return [{"template": "programmes/home_section.html", **counts}]

    def viewer_facts(self) -> list:
        """The programmes a user staffs and their role in each, loaded with the signed-in
        user (vru.viewer): read by programmes.permissions.staff_roles."""
        from programmes import permissions

        return [permissions.STAFF_ROLES_FACT]

    def load_demo(self) -> list[str]:
        from programmes import demo

        return demo.load_demo()
