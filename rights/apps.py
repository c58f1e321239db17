from django.apps import AppConfig


class RightsConfig(AppConfig):
    name = "rights"
    verbose_name = "Young people's rights"

    def navigation(self, user) -> list[tuple[str, str]]:
        from rights import permissions
        from vru.extensions import url as reverse

        if permissions.can_handle_requests(user):
            return [("Subject access requests", reverse("rights:request_list"))]
        return []

    def load_demo(self) -> list[str]:
        from rights import demo

        return demo.load_demo()
