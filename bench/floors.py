"""The two floors every benchmark's lists are measured against, in the same run.

- **bare view**: a minimal JSON view (``JsonResponse({"ok": True})``) served by Django with
  no middleware at all: what a request costs the framework alone, in this process.
- **minimal signed-in view**: the same view through the product's whole middleware stack,
  signed in as the user whose lists are measured: session, user, partnership, roles and
  programmes loaded and checked (vru.viewer), second factor, session timeouts, security
  headers. Every signed-in page costs at least this.

``measure`` requests the two floors and every list in turn, round after round (A B C A B C
...), so the machine's drift (2 shared, noisy cores) hits them alike; medians and p95 are
per path, ratios are of the medians. Each list's query count is taken once, afterwards.
"""

import statistics
import sys
import time
from dataclasses import dataclass

MINIMAL_PATH = "/bench/minimal/"
BARE = "bare view (Django, no middleware)"
MINIMAL = "minimal signed-in view"


def minimal(request):
    from django.http import JsonResponse

    return JsonResponse({"ok": True})


def out(line: str = "") -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def bare_client():
    """A test client whose handler has no middleware (it loads its chain on first use)."""
    from django.test import Client
    from django.test.utils import override_settings

    client = Client()
    with override_settings(MIDDLEWARE=[]):
        response = client.get(MINIMAL_PATH)
    assert response.status_code == 200, response
    return client


def signed_in_client(user):
    """Signed in as ``user`` through the product's sign-in rules: staff roles and
    commissioners get a second factor first, as the product requires (VRU_MFA_REQUIRED)."""
    from django.test import Client

    from vru import permissions
    from vru.accounts import mfa_enrolled
    from vru.services.mfa import mfa_totp_enrol

    if permissions.must_use_mfa(user) and not mfa_enrolled(user):
        mfa_totp_enrol(actor=None, user=user)
    client = Client()
    client.force_login(user)
    response = client.get(MINIMAL_PATH)
    assert response.status_code == 200, (response.status_code, response.get("Location"))
    return client


@dataclass
class Timing:
    label: str
    median: float
    p95: float
    queries: int | None


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]


def _get_ms(client, path: str) -> float:
    started = time.perf_counter()
    response = client.get(path)
    elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, (path, response.status_code, response.get("Location"))
    return elapsed


def _queries(client, path: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    return len(queries)


def measure(user, lists: list[tuple[str, str]], requests: int, warm_up: int = 10) -> list[Timing]:
    """Both floors and each (label, path) of ``lists`` as ``user``: ``requests`` rounds."""
    bare, signed_in = bare_client(), signed_in_client(user)
    paths = [(BARE, bare, MINIMAL_PATH), (MINIMAL, signed_in, MINIMAL_PATH)]
    paths += [(label, signed_in, path) for label, path in lists]
    for _ in range(warm_up):
        for _label, client, path in paths:
            _get_ms(client, path)
    times: dict[str, list[float]] = {label: [] for label, _, _ in paths}
    for _ in range(requests):
        for label, client, path in paths:
            times[label].append(_get_ms(client, path))
    return [
        Timing(
            label,
            statistics.median(times[label]),
            _p95(times[label]),
            None if client is bare else _queries(client, path),
        )
        for label, client, path in paths
    ]


def report(title: str, timings: list[Timing]) -> None:
    """One line per path: median and p95, and the median against each floor."""
    bare = next(t for t in timings if t.label == BARE).median
    signed_in = next(t for t in timings if t.label == MINIMAL).median
    out(f"\n{title}")
    out(
        f"  {'path':44} {'median ms':>9} {'p95 ms':>8} {'x bare':>7} {'x minimal':>9} {'queries':>7}"
    )
    for t in timings:
        queries = "-" if t.queries is None else str(t.queries)
        x_minimal = "-" if t.label == BARE else f"{t.median / signed_in:.1f}"
        out(
            f"  {t.label:44} {t.median:9.2f} {t.p95:8.2f} {t.median / bare:7.1f}"
            f" {x_minimal:>9} {queries:>7}"
        )
