from django.apps import AppConfig


class VruConfig(AppConfig):
    name = "vru"
    verbose_name = "VRU core"

    def ready(self) -> None:
        from vru import checks  # noqa: F401 - registers the deploy checks
