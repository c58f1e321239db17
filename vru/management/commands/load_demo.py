import logging

from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from vru import demo, extensions

# The demo's letters and reminders are made but not sent anywhere (not even the console).
QUIET_MAIL = {"default": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}}


class Command(BaseCommand):
    help = "Load the demo partnerships, their real neighbourhoods and SNAs, and demo users."

    def handle(self, *args, **options):
        # In-process (eager) tasks would log a line each; the logins are what matters here.
        trace_logger = logging.getLogger("celery.app.trace")
        level = trace_logger.level
        trace_logger.setLevel(logging.WARNING)
        try:
            with override_settings(MAILERS=QUIET_MAIL):
                logins = demo.load_demo()
                lines = extensions.load_app_demos()
        finally:
            trace_logger.setLevel(level)
        for line in lines:
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("Demo loaded. Sign in with any of these:"))
        self.stdout.write(f"  password for every demo user: {demo.DEMO_PASSWORD}")
        for login in logins:
            self.stdout.write(f"  {login.username:<24} {login.partnership:<18} {login.role}")
        self.stdout.write(
            "  Staff and commissioners then give a code from their authenticator app. The demo "
            "has set one up for each; print its current code with:\n"
            "    DJANGO_DEBUG=1 .venv/bin/python manage.py demo_totp_code essex.admin\n"
            "  (youth reviewers and applicants sign in with the password alone)"
        )
