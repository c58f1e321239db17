"""Playwright set-up for the end-to-end tests: Debian's Chromium, pytest-django's live server.

The browser, the Playwright driver and its event loop live for this package only (not the
whole session): Playwright's sync API marks its asyncio loop as running in the main thread
between calls, and Django refuses ORM calls there (SynchronousOnlyOperation). Stopping
Playwright when the package ends keeps the rest of the suite unaffected, and
DJANGO_ALLOW_ASYNC_UNSAFE is set for this package only: the tests are plain synchronous code
that touches the database between browser calls, never from inside the loop.
"""

from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.browser.helpers import PageChecker

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def _require_chromium() -> None:
    if not CHROMIUM.exists():
        pytest.skip(
            f"Browser tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium); "
            "CI installs it. Playwright's own browser download is not used."
        )


@pytest.fixture(scope="package", autouse=True)
def _browser_package_environment():
    _require_chromium()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    _require_chromium()
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "headless": True,
        "args": CHROMIUM_ARGS,
    }


# pytest-playwright's own fixtures of the same names are session-scoped; these end with the
# package (see the module docstring).
@pytest.fixture(scope="package")
def playwright(_browser_package_environment):
    pw = sync_playwright().start()
    yield pw
    pw.stop()


@pytest.fixture(scope="package")
def browser_type(playwright, browser_name):
    return getattr(playwright, browser_name)


@pytest.fixture(scope="package")
def launch_browser(browser_type_launch_args, browser_type):
    def launch(**kwargs):
        return browser_type.launch(**{**browser_type_launch_args, **kwargs})

    return launch


@pytest.fixture(scope="package")
def browser_context_args(pytestconfig, playwright, device, base_url, _pw_artifacts_folder):
    # As pytest-playwright's, which is session-scoped because it reads `playwright`.
    context_args = {}
    if device:
        context_args.update(playwright.devices[device])
    if base_url:
        context_args["base_url"] = base_url
    if pytestconfig.getoption("--video") in ["on", "retain-on-failure"]:
        context_args["record_video_dir"] = _pw_artifacts_folder.name
    return context_args


@pytest.fixture(scope="package")
def browser(launch_browser):
    browser = launch_browser()
    yield browser
    browser.close()


@pytest.fixture
def checked(page, live_server, transactional_db):
    """A PageChecker on pytest-playwright's page, pointed at the live server.

    The live server answers from another thread, so the test's data must be committed:
    `transactional_db` (the database is flushed after each test).
    """
    checker = PageChecker(page, live_server.url)
    yield checker
    checker.assert_no_console_errors()
