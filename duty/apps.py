from django.apps import AppConfig


class DutyConfig(AppConfig):
    name = "duty"
    verbose_name = "Serious Violence Duty"

    def navigation(self, user) -> list[tuple[str, str]]:
        from duty import permissions
        from vru.extensions import url as reverse

        if permissions.can_view_duty(user):
            return [("Serious Violence Duty", reverse("duty:overview"))]
        if permissions.can_view_area_figures(user):
            return [
                ("Your area", reverse("duty:area")),
                ("Action plan", reverse("duty:action_plan")),
            ]
        return []

    def home_sections(self, request) -> list[dict]:
        """A partner's home page opens on their organisation's areas' figures."""
        from duty import selectors

        areas = selectors.partner_area_figures(viewer=request.user)
        holder = selectors.partner_holder(viewer=request.user)
        if holder is None:
            return []
        return [{"template": "duty/home_partner.html", "areas": areas, "holder": holder}]

    def load_demo(self) -> list[str]:
        from duty import demo

        return demo.load_demo()
