"""Every model change has its migration."""

import io

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_no_model_change_is_missing_a_migration():
    out = io.StringIO()

    # --check exits with status 1 (SystemExit) when a migration would be made.
    call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)

    assert "No changes detected" in out.getvalue()
