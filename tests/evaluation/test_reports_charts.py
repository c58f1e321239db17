"""A hidden value is never drawn as a value: in the web chart and in the PDF it is a gap (no
bar, not a zero bar) with its label ("<5" or "[c]").

The contract of a ``bar_chart`` block: ``values[i]`` is None when the value is hidden, and
``shown[i]`` is the text to show."""

import datetime
import io
import re
from decimal import Decimal

import pytest
import time_machine
from django.core.files.base import ContentFile
from pypdf import PdfReader
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Rect, String

from evaluation import services
from evaluation.models import ImpactReport
from evaluation.services import report_pdf as pdf
from tests.factories import SuccessMeasureFactory, SuccessMeasureValueFactory
from vru.models import Role

pytestmark = pytest.mark.django_db

D = datetime.date
CHART = {
    "type": "bar_chart",
    "id": "chart-homicides",
    "caption": "Non-domestic homicides (people), lower is better",
    "labels": ["2022/23", "2023/24", "2024/25", "2025/26"],
    "values": [15.0, None, 10.0, None],
    "shown": ["15", "<5", "10", "[c]"],
    "unit": "people",
}


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 5, 20, 12, tzinfo=datetime.UTC), tick=True):
        yield


def shapes(group) -> list:
    found = []
    for item in getattr(group, "contents", []):
        found.append(item)
        found += shapes(item)
    return found


def drawn(block: dict):
    """The chart's drawing as the PDF draws it: its bars and its strings."""
    flow = pdf._bar_chart(block, {})
    side_by_side = flow[0]._content[1]
    drawing = side_by_side._cellvalues[0][0]
    chart = next(item for item in drawing.contents if isinstance(item, VerticalBarChart))
    bars = [s for s in shapes(chart.draw()) if isinstance(s, Rect) and s.fillColor == pdf.BLUE]
    strings = [s for s in shapes(drawing) if isinstance(s, String)]
    return chart, bars, strings


# --- The PDF ------------------------------------------------------------------------------


def test_the_pdf_draws_no_bar_for_a_hidden_value_only_its_label():
    chart, bars, strings = drawn(CHART)

    assert chart.data == [[15.0, None, 10.0, None]]  # never 0 in place of a hidden value
    assert len(bars) == 2  # 15 and 10
    labels = {s.text: s for s in strings}
    assert "<5" in labels
    assert "[c]" in labels
    slot = chart.width / 4
    assert labels["<5"].x == pytest.approx(chart.x + slot * 1.5)  # in the gap of 2023/24
    assert labels["[c]"].x == pytest.approx(chart.x + slot * 3.5)
    assert not any("drawn as 0" in s.text for s in strings)


def test_the_pdf_draws_a_chart_whose_values_are_all_hidden():
    _, bars, strings = drawn({**CHART, "values": [None] * 4, "shown": ["<5"] * 4})

    assert bars == []
    assert [s.text for s in strings].count("<5") == 4


def test_the_pdf_text_has_each_hidden_label_in_the_chart_and_its_table():
    content = {"meta": {"title": "Impact report"}, "sections": [{"title": "S", "blocks": [CHART]}]}

    text = "".join(
        page.extract_text() for page in PdfReader(io.BytesIO(pdf.render_pdf(content))).pages
    )

    assert text.count("<5") >= 2  # the gap's label and the table's cell
    assert text.count("[c]") >= 2
    assert "A hidden value has no bar" in text


# --- The web page -----------------------------------------------------------------------------


def ready_report(partnership, requester, blocks: list) -> ImpactReport:
    report = services.request_impact_report(
        actor=requester, period_start=D(2026, 4, 1), period_end=D(2026, 4, 30)
    )
    report.content = {
        "meta": {"title": "Impact report", "period": report.period_label, "threshold": 5},
        "sections": [{"key": "measures", "title": "Success measures", "blocks": blocks}],
    }
    report.status = ImpactReport.Status.READY
    report.pdf.save("impact-report-test.pdf", ContentFile(b"%PDF-1.4"), save=False)
    report.save()
    return report


def test_the_web_chart_draws_no_bar_for_a_hidden_value_only_its_label(
    client, partnership, user_with_role
):
    commissioner = user_with_role(Role.COMMISSIONER)
    report = ready_report(partnership, commissioner, [CHART])
    client.force_login(commissioner)

    page = client.get(report.get_absolute_url()).text

    svg = re.search(r'<figure class="vru-chart">(.*?)</figure>', page, re.S).group(1)
    assert svg.count("<rect") == 2  # 15 and 10 only: no bar, not even a flat one, for the rest
    gaps = re.findall(r"<g data-hidden-value>(.*?)</g>", svg, re.S)
    assert len(gaps) == 2
    assert "2023/24: &lt;5 (hidden: no bar)" in gaps[0]
    assert ">&lt;5</text>" in gaps[0]
    assert ">[c]</text>" in gaps[1]
    assert 'height="0' not in svg


# --- The builder ----------------------------------------------------------------------------


def test_a_hidden_success_measure_value_is_none_in_the_block_and_a_gap_in_the_pdf(
    partnership, user_with_role, django_capture_on_commit_callbacks
):
    # given a measure counting people with a small value in one period
    measure = SuccessMeasureFactory(
        partnership=partnership, name="Non-domestic homicides", unit="people", counts_people=True
    )
    for start, value in [(D(2023, 4, 1), "15"), (D(2024, 4, 1), "3"), (D(2025, 4, 1), "10")]:
        SuccessMeasureValueFactory(
            measure=measure,
            period_start=start,
            period_end=D(start.year + 1, 3, 31),
            label=f"{start.year}/{start.year + 1 - 2000}",
            value=Decimal(value),
        )

    # when a commissioner's report is built
    with django_capture_on_commit_callbacks(execute=True):
        report = services.request_impact_report(
            actor=user_with_role(Role.COMMISSIONER),
            period_start=D(2025, 4, 1),
            period_end=D(2026, 3, 31),
        )
    report.refresh_from_db()
    assert report.status == ImpactReport.Status.READY, report.error

    # then the hidden value is None in the block, shown as "<5", and has no bar
    section = next(s for s in report.content["sections"] if s["key"] == "measures")
    chart = next(b for b in section["blocks"] if b["type"] == "bar_chart")
    assert chart["values"] == [15.0, None, 10.0]
    assert chart["shown"] == ["15", "<5", "10"]
    _, bars, strings = drawn(chart)
    assert len(bars) == 2
    assert "<5" in [s.text for s in strings]
