from django.core.management.base import BaseCommand, CommandError

from vru.accounts import current_totp_code
from vru.models import User


class Command(BaseCommand):
    help = (
        "Print the 6-digit code a demo user's authenticator app would show now (the demo "
        "sets up an app for every staff and commissioner login). For demos and local work."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        code = current_totp_code(user)
        if code is None:
            raise CommandError(f"{username} has no authenticator app set up.")
        self.stdout.write(code)
