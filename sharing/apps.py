from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "sharing"
    verbose_name = "Information sharing"

    def navigation(self, user) -> list[tuple[str, str]]:
        from sharing import permissions
        from vru.extensions import url as reverse

        if permissions.can_manage_agreements(user):
            return [("Information sharing", reverse("sharing:agreement_list"))]
        return []

    def load_demo(self) -> list[str]:
        from sharing import demo

        return demo.load_demo()
