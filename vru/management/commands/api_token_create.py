from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from vru import services
from vru.models import ApiToken, User


class Command(BaseCommand):
    help = (
        'Make a personal API token for a user, as they could on "Your account" (the same '
        "service: hashed, expiring, audited), and print its key once. For scripts set up by "
        "the people who run the service."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", required=True, help="What the token is for.")
        parser.add_argument(
            "--scope",
            choices=ApiToken.Scope.values,
            default=ApiToken.Scope.READ_ONLY,
            help="read_only (the default) or role: what the user's role may do.",
        )
        parser.add_argument(
            "--days", type=int, default=None, help="Days until it expires (VRU_API_TOKEN_DAYS)."
        )

    def handle(self, *args, username, name, scope, days, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        try:
            token, key = services.api_token_create(actor=user, name=name, scope=scope, days=days)
        except (PermissionDenied, ValidationError) as error:
            raise CommandError(" ".join(getattr(error, "messages", [str(error)]))) from None
        self.stderr.write(f"Token {token.prefix}… expires {token.expires_at:%Y-%m-%d %H:%M}.")
        self.stdout.write(key)
