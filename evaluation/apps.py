from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "evaluation"
    verbose_name = "Voice and evaluation"

    def ready(self) -> None:
        from evaluation.services.listening_imports import LISTENING_IMPORTS
        from vru import import_kinds
        from vru.models import ImportJob

        # spreadsheets of responses: checked first, imported once confirmed, undoable (the
        # core's machinery for reviewed imports, which imports no app)
        import_kinds.register(ImportJob.Kind.LISTENING_RESPONSES, LISTENING_IMPORTS)

    def navigation(self, user) -> list[tuple[str, str]]:
        from evaluation import permissions
        from vru.extensions import url as reverse

        items = []
        if permissions.can_view_listening_summary(user):
            items.append(("Listening projects", reverse("evaluation:exercise_list")))
        if permissions.can_view_evaluations(user):
            items.append(("Evaluations", reverse("evaluation:evaluation_list")))
        if permissions.can_view_outcome_summaries(user):
            items.append(("Outcomes", reverse("evaluation:outcome_summaries")))
        elif permissions.can_use_outcome_scores(user):
            items.append(("Outcome scores", reverse("evaluation:outcome_score_list")))
        if permissions.can_view_impact_reports(user):
            items.append(("Impact reports", reverse("evaluation:report_list")))
        return items

    def home_sections(self, request) -> list[dict]:
        """A commissioner's home page opens on the partnership's headline figures."""
        from evaluation import selectors

        headlines = selectors.partnership_headlines(viewer=request.user)
        if headlines is None:
            return []
        return [{"template": "evaluation/home_headlines.html", "headlines": headlines}]

    def load_demo(self) -> list[str]:
        from evaluation import demo, demo_evaluations

        return demo.load_demo() + demo_evaluations.load_demo()
