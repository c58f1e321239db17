"""The two floors every benchmark's lists are measured against, in the same run.

- **bare view**: a minimal JSON view (``JsonResponse({"ok": True})``) served by Django with
  no middleware at all: what a request costs the framework alone, in this process.
- **minimal signed-in view**: the same view through the product's whole middleware stack,
  signed in as the user whose lists are measured: session, user, partnership, roles and
  programmes loaded and checked (vru.viewer), second factor, session timeouts, security
  headers. Every signed-in page costs at least this.

``measure`` requests the two floors and every list in turn, round after round (A B C A B C
...), so the machine's drift (2 shared, noisy cores) hits them alike; medians, p10 and p95
are per path, ratios are of the medians and of the p10s. The p10 is the quiet-machine
figure: when other work keeps the two cores busy, a request that waits for the database
(every signed-in one) waits for a core too, and the bare view, which never does, does not;
the medians then say more about the machine than about the code. "cpu" is this process's
own CPU time per request (Python and the client, not the database). Each list's query
count is taken once, afterwards.
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
    p10: float
    p95: float
    cpu: float  # this process's CPU time per request (median)
    queries: int | None


def _quantile(values: list[float], k: int) -> float:
    """The k-th of 20 quantiles (1: p5 ... 19: p95)."""
    return statistics.quantiles(values, n=20)[k - 1] if len(values) > 1 else values[0]


def _get_ms(client, path: str) -> tuple[float, float]:
    """(wall ms, this thread's CPU ms) of one request."""
    started, cpu = time.perf_counter(), time.thread_time()
    response = client.get(path)
    elapsed = (time.perf_counter() - started) * 1000
    cpu = (time.thread_time() - cpu) * 1000
    assert response.status_code == 200, (path, response.status_code, response.get("Location"))
    return elapsed, cpu


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
    cpus: dict[str, list[float]] = {label: [] for label, _, _ in paths}
    for _ in range(requests):
        for label, client, path in paths:
            wall, cpu = _get_ms(client, path)
            times[label].append(wall)
            cpus[label].append(cpu)
    return [
        Timing(
            label,
            statistics.median(times[label]),
            _quantile(times[label], 2),
            _quantile(times[label], 19),
            statistics.median(cpus[label]),
            None if client is bare else _queries(client, path),
        )
        for label, client, path in paths
    ]


def _own_queries(client, path: str) -> list[tuple[str, object]]:
    """The SQL and parameters a list's request runs, less the first (the session and the
    user: the minimal signed-in view runs it too)."""
    from django.db import connection

    seen = []

    def record(execute, sql, params, many, context):
        seen.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        client.get(path)
    return seen[1:]


def _replay_ms(queries: list[tuple[str, object]]) -> tuple[float, float]:
    """(wall ms, CPU ms) of running ``queries`` one after another as the product does
    (prepared on PostgreSQL), fetching every row, nothing converted."""
    from django.db import connection

    started, cpu = time.perf_counter(), time.thread_time()
    prepared = getattr(connection, "prepared_cursor", None)
    for sql, params in queries:
        with prepared() if prepared is not None else connection.cursor() as cursor:
            cursor.execute(sql, params)
            cursor.fetchall()
    return (time.perf_counter() - started) * 1000, (time.thread_time() - cpu) * 1000


def queries_alone(user, lists: list[tuple[str, str]], requests: int, warm_up: int = 10) -> None:
    """A third floor for each list: its own queries (less the session and user's, which the
    minimal view runs) run alone through the same connection and driver, with nothing built
    from their rows: what the database and the network take. The list less the minimal view
    less this is the product's own Python. Measured in a pass of its own, interleaved with
    the minimal view only, so that it changes nothing in the lists' pass (what runs between
    two requests moves the bare view's time by a third)."""
    signed_in = signed_in_client(user)
    replays = [(label, _own_queries(signed_in, path)) for label, path in lists]
    times: dict[str, list[float]] = {MINIMAL: [], **{label: [] for label, _ in replays}}
    for round_ in range(warm_up + requests):
        minimal_ms = _get_ms(signed_in, MINIMAL_PATH)[0]
        replayed = [(label, _replay_ms(queries)[0]) for label, queries in replays]
        if round_ >= warm_up:
            times[MINIMAL].append(minimal_ms)
            for label, ms in replayed:
                times[label].append(ms)
    minimal_p10 = _quantile(times[MINIMAL], 2)
    out(f"  each list's own queries alone ({requests} rounds, beside the minimal view):")
    for label, queries in replays:
        p10 = _quantile(times[label], 2)
        out(
            f"    {label + ':':34} median {statistics.median(times[label]):.2f} ms,"
            f" p10 {p10:.2f} ms = {p10 / minimal_p10:.1f}x the minimal view's p10"
            f" ({minimal_p10:.2f} ms); queries: {len(queries)}"
        )


def report(title: str, timings: list[Timing]) -> None:
    """One line per path: median, p10, p95 and CPU; the median and the p10 against each
    floor (x bare, x minimal)."""
    bare = next(t for t in timings if t.label == BARE)
    signed_in = next(t for t in timings if t.label == MINIMAL)
    out(f"\n{title}")
    out(
        f"  {'':36} {'ms: median':>10} {'p10':>6} {'p95':>6} {'cpu':>5}"
        f" | {'median: x bare':>14} {'x minimal':>9} | {'p10: x bare':>11} {'x minimal':>9}"
        f" | {'queries':>7}"
    )
    for t in timings:
        queries = "-" if t.queries is None else str(t.queries)
        floor = t.label == BARE
        x_minimal = "-" if floor else f"{t.median / signed_in.median:.1f}"
        x_minimal_p10 = "-" if floor else f"{t.p10 / signed_in.p10:.1f}"
        out(
            f"  {t.label:36} {t.median:10.2f} {t.p10:6.2f} {t.p95:6.2f} {t.cpu:5.2f}"
            f" | {t.median / bare.median:14.1f} {x_minimal:>9}"
            f" | {t.p10 / bare.p10:11.1f} {x_minimal_p10:>9} | {queries:>7}"
        )
