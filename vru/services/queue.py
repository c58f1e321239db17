"""Hand work to Celery by the task's name.

Tasks call services; services never import task modules (an import-linter contract keeps it
so). A service that needs work done later names the task here instead.
"""

from importlib import import_module

from celery import current_app


def _task(name: str):
    registry = current_app.tasks
    if name not in registry:
        # A web process may not have loaded the task's module yet: load it by name.
        import_module(name.rpartition(".")[0])
    return registry[name]


def run_later(name: str, *args) -> None:
    """Send one task now. Raises the broker's error when it is unreachable: callers that
    must not lose work keep it in the outbox or on the job and let the relay retry."""
    _task(name).apply_async(args=list(args), retry=False)


def run_after_commit(name: str, *args) -> None:
    """Send one task once the current transaction commits (nothing is sent on rollback)."""
    _task(name).delay_on_commit(*args)
