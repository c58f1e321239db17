"""`manage.py check --deploy` passes with production variables, and warns without them."""

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

PRODUCTION = {
    "DJANGO_SECRET_KEY": "a-long-random-production-secret-key-" + "x9Y!" * 10,
    "DJANGO_ALLOWED_HOSTS": "vru.example.org",
    "DATABASE_URL": "postgres://vru:secret@db.example.org:5432/vru",
    "REDIS_URL": "redis://cache.example.org:6379/0",
    "EMAIL_URL": "smtp+tls://mailer:secret@smtp.example.org:587",
    "VRU_FIELD_ENCRYPTION_KEYS": "cHJvZHVjdGlvbi1rZXktcHJvZHVjdGlvbi1rZXktcHI=",
    "VRU_BLIND_INDEX_KEY": "a-long-random-blind-index-key",
    "VRU_SITE_URL": "https://vru.example.org",
}


def _check_deploy(extra_env: dict) -> subprocess.CompletedProcess:
    return _manage(extra_env, "check", "--deploy", "--fail-level", "WARNING")


def _manage(extra_env: dict, *command: str) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL", "EMAIL_URL", "VRU_"))
    }
    env.update(extra_env)
    return subprocess.run(
        [sys.executable, "manage.py", *command],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean_with_production_variables():
    result = _check_deploy(PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_warns_when_the_embedded_defaults_are_left_on():
    embedded = {k: v for k, v in PRODUCTION.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    result = _check_deploy(embedded)
    assert result.returncode != 0
    assert "vru.W001" in result.stderr + result.stdout
    assert "vru.W002" in result.stderr + result.stdout


def test_the_settings_refuse_to_start_without_a_secret_key_outside_debug():
    result = _check_deploy({})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_checking_migrations_needs_no_secrets_because_it_only_reads_the_models():
    result = _manage({}, "makemigrations", "--check", "--dry-run")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No changes detected" in result.stdout


def test_check_deploy_refuses_production_without_its_own_encryption_keys():
    without_keys = {k: v for k, v in PRODUCTION.items() if not k.startswith("VRU_")}
    result = _check_deploy(without_keys)
    assert result.returncode != 0
    assert "vru.E001" in result.stderr + result.stdout


def test_check_deploy_refuses_production_without_the_site_address_for_e_mail_links():
    without_site = {k: v for k, v in PRODUCTION.items() if k != "VRU_SITE_URL"}
    result = _check_deploy(without_site)
    assert result.returncode != 0
    assert "vru.E002" in result.stderr + result.stdout
    assert "VRU_SITE_URL is not set" in result.stderr + result.stdout


def test_check_deploy_refuses_a_site_address_that_is_not_https_or_is_this_machine():
    for address in ("http://vru.example.org", "https://localhost:8000", "https://127.0.0.1"):
        result = _check_deploy({**PRODUCTION, "VRU_SITE_URL": address})
        assert result.returncode != 0, address
        assert "vru.E002" in result.stderr + result.stdout, address


def test_the_site_address_defaults_to_the_local_server_only_for_local_work():
    show = ("shell", "-c", "from django.conf import settings; print(repr(settings.VRU_SITE_URL))")
    assert (
        _manage({"DJANGO_DEBUG": "1"}, *show).stdout.strip().splitlines()[-1]
        == "'http://127.0.0.1:8000'"
    )
    assert _manage(PRODUCTION, *show).stdout.strip().splitlines()[-1] == "'https://vru.example.org'"
    bare = {k: v for k, v in PRODUCTION.items() if k != "VRU_SITE_URL"}
    assert _manage(bare, *show).stdout.strip().splitlines()[-1] == "''"
