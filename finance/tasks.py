"""Celery tasks of the money app: they call services and nothing else. The spend import runs
through the core's import job task (vru.tasks), so there is nothing of its own here yet."""
