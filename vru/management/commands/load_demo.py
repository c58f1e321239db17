from django.core.management.base import BaseCommand

from vru import demo, extensions


class Command(BaseCommand):
    help = "Load the demo partnerships, their real neighbourhoods and SNAs, and demo users."

    def handle(self, *args, **options):
        logins = demo.load_demo()
        for line in extensions.load_app_demos():
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("Demo loaded. Sign in with any of these:"))
        self.stdout.write(f"  password for every demo user: {demo.DEMO_PASSWORD}")
        for login in logins:
            self.stdout.write(f"  {login.username:<24} {login.partnership:<18} {login.role}")
