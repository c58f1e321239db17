"""On a narrow screen a wide table scrolls inside its own labelled region, never the whole
page sideways (WCAG 2.2, 1.4.10 Reflow): every GOV.UK table in the templates sits in a
``vru-table-container`` (a labelled, focusable region where it may scroll) or is laid out as cards (``vru-cards``). The browser tests
check pages at 360 px; this finds a table added without its region before any page is
opened."""

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
# charts drawn as tables for screen readers (visually hidden), e-mails, allauth's own element
EXEMPT = {
    "partials/bar_chart.html",
    "evaluation/reports/blocks/bar_chart.html",
    "emails/base.html",
    "allauth/elements/table.html",
}
TABLE = re.compile(r'<table class="govuk-table[^"]*"')


def test_every_table_scrolls_in_its_own_region():
    bare = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        name = path.relative_to(TEMPLATES).as_posix()
        if name in EXEMPT:
            continue
        text = path.read_text(encoding="utf-8")
        for table in TABLE.finditer(text):
            before = text[: table.start()]
            region = before.rfind('class="vru-table-container"')
            closed = before.rfind("</div>")
            cards = "vru-cards" in text[table.start() : table.start() + 80]
            if not cards and (region == -1 or closed > region):
                bare.append(f"{name}:{text.count(chr(10), 0, table.start()) + 1}")
    assert not bare, "tables outside a scroll region:\n" + "\n".join(bare)
