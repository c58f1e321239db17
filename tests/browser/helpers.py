"""Checks run on every page the browser tests open: axe-core (WCAG 2.2 AA rules) and the
browser console (errors, uncaught exceptions and CSP violations, which Chromium reports as
console errors)."""

from functools import cache
from pathlib import Path

from playwright.sync_api import ConsoleMessage, Error, Page, Response, expect

AXE_PATH = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_RUN = """
async (tags) => {
  const results = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
  return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    helpUrl: v.helpUrl,
    nodes: v.nodes.map((n) => ({target: n.target, html: n.html, summary: n.failureSummary})),
  }));
}
"""


def current_code(username: str) -> str:
    """What the user's authenticator app shows now (computed with allauth's TOTP helpers)."""
    from vru.accounts import current_totp_code
    from vru.models import User

    code = current_totp_code(User.objects.get(username=username))
    assert code is not None, f"{username} has no authenticator app"
    return code


@cache
def axe_source() -> str:
    return AXE_PATH.read_text(encoding="utf-8")


def format_violations(url: str, violations: list[dict]) -> str:
    lines = [f"axe found {len(violations)} WCAG 2.2 AA violation(s) on {url}:"]
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} <{v['helpUrl']}>")
        for node in v["nodes"]:
            lines.append(f"    target {node['target']}: {node['html'][:200]}")
            if node["summary"]:
                lines.append("      " + node["summary"].replace("\n", "\n      "))
    return "\n".join(lines)


def axe_violations(page: Page) -> list[dict]:
    # page.evaluate goes through the DevTools protocol, so the page's CSP does not apply.
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source())
    return page.evaluate(AXE_RUN, AXE_TAGS)


def assert_accessible(page: Page) -> None:
    violations = axe_violations(page)
    assert not violations, format_violations(page.url, violations)


class PageChecker:
    """Wraps a Playwright page: records console errors and page errors as they happen, and
    checks each page opened with axe."""

    def __init__(self, page: Page, base_url: str) -> None:
        self.page = page
        self.base_url = base_url.rstrip("/")
        self.console_errors: list[str] = []
        # Responses the test expects to fail (e.g. the 404 page): Chromium logs "Failed to
        # load resource" for them, which is not a fault of the page.
        self.expected_failures: set[str] = set()
        page.on("console", self._on_console)
        page.on("pageerror", self._on_page_error)

    def url(self, path: str) -> str:
        return self.base_url + path

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        where = message.location.get("url", "")
        if where in self.expected_failures and message.text.startswith("Failed to load resource"):
            return
        self.console_errors.append(f"console error at {where or self.page.url}: {message.text}")

    def _on_page_error(self, error: Error) -> None:
        self.console_errors.append(f"uncaught error on {self.page.url}: {error}")

    def assert_no_console_errors(self) -> None:
        errors, self.console_errors = self.console_errors, []
        assert not errors, "Browser console errors (CSP violations show here):\n" + "\n".join(
            errors
        )

    def check(self) -> None:
        """The current page: no console errors so far, and no axe violations."""
        self.page.wait_for_load_state("load")
        self.assert_no_console_errors()
        assert_accessible(self.page)
        self.assert_no_console_errors()

    def goto(self, path: str, *, status: int = 200, title: str | None = None) -> Response:
        url = self.url(path)
        if status >= 400:
            self.expected_failures.add(url)
        response = self.page.goto(url)
        assert response is not None, url
        assert response.status == status, f"{url}: HTTP {response.status}, expected {status}"
        if title is not None:
            expect(self.page).to_have_title(f"{title} – VRU platform")
        self.check()
        return response

    def sign_in(self, username: str, password: str) -> None:
        self.goto("/accounts/login/", title="Sign in")
        self.page.get_by_label("Username").fill(username)
        self.page.get_by_label("Password", exact=True).fill(password)
        self.page.get_by_role("button", name="Sign in").click()
        self.page.wait_for_load_state("load")
        if self.page.url == self.url("/accounts/2fa/authenticate/"):
            # a user with an authenticator app (the demo's staff): the app's current code
            self.check()
            self.page.locator("#id_code").fill(current_code(username))
            self.page.get_by_role("button", name="Continue").click()
        self.page.wait_for_url(self.url("/"))
        self.check()

    def sign_out(self) -> None:
        self.page.get_by_role("button", name="Sign out").click()
        self.page.wait_for_url(self.url("/accounts/login/"))

    def assert_no_horizontal_scroll(self) -> None:
        widths = self.page.evaluate(
            "({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})"
        )
        assert widths["scroll"] <= widths["inner"] + 1, (
            f"{self.page.url} scrolls sideways at {widths['inner']} px: content is "
            f"{widths['scroll']} px wide (WCAG 1.4.10 Reflow). Past the right edge: "
            f"{self.widest_elements()}"
        )

    def widest_elements(self, limit: int = 5) -> list[str]:
        """For failure messages: the elements that stick out past the viewport's right edge."""
        return self.page.evaluate(
            """(limit) => {
              const out = [];
              for (const el of document.body.querySelectorAll('*')) {
                const r = el.getBoundingClientRect();
                if (r.right > window.innerWidth + 1) {
                  const cls = el.className && typeof el.className === 'string'
                    ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
                  out.push(`${el.tagName.toLowerCase()}${cls} right=${Math.round(r.right)}`);
                }
              }
              return out.slice(0, limit);
            }""",
            limit,
        )
