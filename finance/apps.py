from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "finance"
    verbose_name = "Money and returns"

    def ready(self) -> None:
        from finance.services.population_imports import POPULATION_IMPORTS
        from finance.services.spend_imports import SPEND_IMPORTS
        from vru import import_kinds
        from vru.models import ImportJob

        # spend from the finance system's spreadsheet: checked first, imported once
        # confirmed, undoable (the core's machinery for reviewed imports)
        import_kinds.register(ImportJob.Kind.FINANCE_SPEND, SPEND_IMPORTS)
        # the population fair reach compares with (area data: the same machinery)
        import_kinds.register(ImportJob.Kind.POPULATION, POPULATION_IMPORTS)

    def navigation(self, user) -> list[tuple[str, str]]:
        from finance import permissions
        from vru.extensions import url as reverse

        if permissions.can_view_finance(user):
            return [("Money", reverse("finance:overview"))]
        if permissions.can_view_contracts(user):  # provider staff
            return [("Your contract", reverse("finance:contract_list"))]
        return []

    def load_demo(self) -> list[str]:
        from finance import demo, demo_population

        return demo.load_demo() + demo_population.load_demo()
