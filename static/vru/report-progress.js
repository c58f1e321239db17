// Impact report progress (templates/evaluation/reports/report_progress.html): every few
// seconds, fetch this page again and copy the new progress into the live status region, so
// a screen reader hears it without the page reloading under the reader (axe's meta-refresh
// rule). When the fetched page no longer has a progress region, the report is ready or
// failed: load it. Without JavaScript the page has a "Reload now" link.
const region = document.querySelector("[data-report-progress]");

async function poll() {
  try {
    const response = await fetch(window.location.href, { credentials: "same-origin" });
    if (!response.ok) return;
    const fetched = new DOMParser().parseFromString(await response.text(), "text/html");
    const next = fetched.querySelector("[data-report-progress]");
    if (next === null) {
      window.location.reload();
      return;
    }
    if (next.textContent !== region.textContent) region.textContent = next.textContent;
  } catch {
    // offline for a moment: try again on the next tick
  }
  window.setTimeout(poll, 3000);
}

if (region !== null) window.setTimeout(poll, 3000);
