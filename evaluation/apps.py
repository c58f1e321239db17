from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "evaluation"
    verbose_name = "Voice and evaluation"

    def navigation(self, user) -> list[tuple[str, str]]:
        from django.urls import reverse

        from evaluation import permissions

        items = []
        if permissions.can_view_listening_summary(user):
            items.append(("Listening projects", reverse("evaluation:exercise_list")))
        if permissions.can_view_impact_reports(user):
            items.append(("Impact reports", reverse("evaluation:report_list")))
        return items

    def load_demo(self) -> list[str]:
        from evaluation import demo

        return demo.load_demo()
