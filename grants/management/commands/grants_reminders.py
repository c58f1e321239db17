"""Send the due grants reminders now (what Celery beat does on its schedule)."""

from django.core.management.base import BaseCommand

from grants import services


class Command(BaseCommand):
    help = "Send panel-deadline reminders to reviewers and overdue monitoring-return reminders."

    def handle(self, *args, **options):
        panel = services.panel_reminders_send()
        overdue = services.overdue_return_reminders_send()
        self.stdout.write(f"{panel} panel reminders, {overdue} overdue-return reminders sent.")
