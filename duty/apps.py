from django.apps import AppConfig


class DutyConfig(AppConfig):
    name = "duty"
    verbose_name = "Serious Violence Duty"

    def navigation(self, user) -> list[tuple[str, str]]:
        from duty import permissions
        from vru.extensions import url as reverse

        if permissions.can_view_duty(user):
            return [("Serious Violence Duty", reverse("duty:overview"))]
        return []

    def load_demo(self) -> list[str]:
        from duty import demo

        return demo.load_demo()
