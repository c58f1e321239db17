from django.apps import AppConfig


class GrantsConfig(AppConfig):
    name = "grants"

    def navigation(self, user) -> list[tuple[str, str]]:
        from grants import permissions
        from vru.extensions import url as reverse

        items = []
        if permissions.is_grants_staff(user):
            items += [
                ("Grant rounds", reverse("grants:round_list")),
                ("Applications", reverse("grants:application_list")),
                ("Organisations", reverse("grants:organisation_list")),
                ("Youth panel", reverse("grants:panel")),
                ("Awards", reverse("grants:award_list")),
            ]
        elif permissions.is_applicant(user):
            items += [
                ("Your applications", reverse("grants:application_list")),
                ("Your awards", reverse("grants:award_list")),
            ]
        if permissions.is_youth_reviewer(user):
            items.append(("Your reviews", reverse("grants:review_list")))
        return items

    def home_sections(self, request) -> list[dict]:
        links = self.navigation(request.user)
        if not links:
            return []
        return [{"template": "grants/home_section.html", "links": links}]

    def load_demo(self) -> list[str]:
        from grants import demo

        return demo.load_demo()
