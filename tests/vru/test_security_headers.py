"""Every page carries the security headers, and the CSP allows nothing but ourselves."""

import re

import pytest

from vru.models import Role

pytestmark = pytest.mark.django_db


def test_pages_send_a_strict_csp_with_a_fresh_nonce_each_time(client, user_with_role):
    client.force_login(user_with_role(Role.ANALYST))

    first = client.get("/")
    second = client.get("/")

    policy = first.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "object-src 'none'" in policy
    assert "base-uri 'none'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
    assert f'nonce="{nonce}"' in first.text  # the page's own scripts carry it
    assert nonce not in second.headers["Content-Security-Policy"]


def test_pages_send_the_other_security_headers(client):
    response = client.get("/accounts/login/")

    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"


def test_https_requests_get_hsts_in_production_settings(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True

    response = client.get("/accounts/login/", secure=True)

    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_no_page_links_to_another_site(client, user_with_role):
    client.force_login(user_with_role(Role.ADMINISTRATOR))
    for path in ["/", "/neighbourhoods/", "/needs-assessments/", "/success-measures/"]:
        html = client.get(path).text
        assert not re.search(r"""(src|href)=["']https?://""", html), path


def test_the_policy_is_djangos_own_with_or_without_the_pages_nonce(client, settings):
    from django.utils.csp import build_policy

    signed_out_page = client.get("/accounts/login/")  # its scripts carry the nonce
    json_answer = client.get("/healthz")  # no page, no nonce
    nonce = signed_out_page.wsgi_request._csp_nonce

    assert signed_out_page["Content-Security-Policy"] == build_policy(settings.SECURE_CSP, nonce)
    assert f"'nonce-{nonce}'" in signed_out_page["Content-Security-Policy"]
    assert json_answer["Content-Security-Policy"] == build_policy(settings.SECURE_CSP)
    settings.SECURE_CSP = {**settings.SECURE_CSP, "img-src": ["'self'"]}  # a changed setting
    assert client.get("/healthz")["Content-Security-Policy"] == build_policy(settings.SECURE_CSP)
