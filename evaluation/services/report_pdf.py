"""The impact report as a PDF (reportlab), drawn from the same content as the web page.

Every block type of evaluation.selectors.report_content has a drawer here; charts use
reportlab.graphics (docs/performance.md: PNG charts cost 6-8x the whole build) and always sit
beside the table of their figures.
"""

import io
import math
from xml.sax.saxutils import escape

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, Polygon, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import (
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

BLACK = colors.HexColor("#0b0c0c")
GREY = colors.HexColor("#f3f2f1")
BLUE = colors.HexColor("#1d70b8")
HIGHLIGHT = colors.HexColor("#fff7bf")

_styles = getSampleStyleSheet()
BODY = ParagraphStyle("body", parent=_styles["BodyText"], fontSize=10, leading=13)
SMALL = ParagraphStyle("small", parent=BODY, fontSize=8, leading=10, alignment=TA_LEFT)
H1 = ParagraphStyle("h1", parent=_styles["Heading1"], fontSize=20, leading=24, textColor=BLACK)
H2 = ParagraphStyle("h2", parent=_styles["Heading2"], fontSize=15, leading=19, textColor=BLACK)
FIGURE = ParagraphStyle("figure", parent=BODY, fontSize=18, leading=22, fontName="Helvetica-Bold")
CAPTION = ParagraphStyle("caption", parent=BODY, fontName="Helvetica-Bold", spaceAfter=4)

PAGE_WIDTH = A4[0] - 36 * mm


def _p(text: str, style: ParagraphStyle = BODY) -> Paragraph:
    return Paragraph(escape(str(text)), style)


def _paragraph(block: dict, boundaries: dict) -> list:
    return [_p(block["text"]), Spacer(1, 4)]


def _headlines(block: dict, boundaries: dict) -> list:
    rows = [[_p(item["figure"], FIGURE), _p(item["text"])] for item in block["items"]]
    table = Table(rows, colWidths=[40 * mm, PAGE_WIDTH - 40 * mm])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.5, colors.HexColor("#b1b4b6")),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    return [table, Spacer(1, 8)]


def _data_table(block: dict, width: float = PAGE_WIDTH) -> Table:
    headers = [_p(h, SMALL) for h in block["headers"]]
    body = [[_p(cell, SMALL) for cell in row] for row in block["rows"]]
    foot = [[_p(cell, SMALL) for cell in block["foot"]]] if block.get("foot") else []
    data = [headers, *body, *foot]
    if not body:
        data.append([_p("None in the period.", SMALL)] + [""] * (len(headers) - 1))
    columns = len(headers)
    first = min(width * 0.45, width / columns * 2) if columns > 1 else width
    widths = [first] + [(width - first) / (columns - 1)] * (columns - 1) if columns > 1 else [width]
    table = Table(data, colWidths=widths, repeatRows=1)
    style = [
        ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#b1b4b6")),
        ("BACKGROUND", (0, 0), (-1, 0), GREY),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    for index, flag in enumerate(block.get("highlight") or []):
        if flag:
            style.append(("BACKGROUND", (0, index + 1), (-1, index + 1), HIGHLIGHT))
    if foot:
        style.append(("BACKGROUND", (0, len(data) - 1), (-1, len(data) - 1), GREY))
    table.setStyle(TableStyle(style))
    return table


def _table(block: dict, boundaries: dict) -> list:
    return [_p(block["caption"], CAPTION), _data_table(block), Spacer(1, 8)]


def _bar_chart(block: dict, boundaries: dict) -> list:
    """Bars of the shown values; a hidden value (None, shown as "<5" or "[c]") has no bar,
    never a zero one: its place is a gap with its label on the axis."""
    width, height = PAGE_WIDTH * 0.55, 55 * mm
    drawing = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 30, 20
    chart.width, chart.height = width - 40, height - 30
    values = list(block["values"])  # None stays None: reportlab draws no bar for it
    chart.data = [values]
    chart.categoryAxis.categoryNames = block["labels"]
    chart.categoryAxis.labels.fontSize = 6
    chart.categoryAxis.labels.angle = 30 if len(values) > 4 else 0
    chart.categoryAxis.labels.boxAnchor = "ne" if len(values) > 4 else "n"
    chart.valueAxis.valueMin = 0
    if all(v is None for v in values):
        chart.valueAxis.valueMax = 1
    chart.valueAxis.labels.fontSize = 6
    chart.bars[0].fillColor = BLUE
    drawing.add(chart)
    slot = chart.width / max(len(values), 1)
    for index, (value, shown) in enumerate(zip(values, block["shown"], strict=True)):
        if value is None:
            drawing.add(
                String(
                    chart.x + slot * (index + 0.5),
                    chart.y + 3,
                    shown,
                    fontSize=7,
                    fontName="Helvetica-Bold",
                    textAnchor="middle",
                    fillColor=BLACK,
                )
            )
    if any(v is None for v in values):
        drawing.add(
            String(30, 2, "A hidden value has no bar: only its label is shown.", fontSize=6)
        )
    table = _data_table(
        {
            "headers": ["Period", block["unit"]],
            "rows": [
                [label, shown] for label, shown in zip(block["labels"], block["shown"], strict=True)
            ],
        },
        width=PAGE_WIDTH * 0.42,
    )
    side_by_side = Table([[drawing, table]], colWidths=[PAGE_WIDTH * 0.57, PAGE_WIDTH * 0.43])
    side_by_side.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return [KeepTogether([_p(block["caption"], CAPTION), side_by_side]), Spacer(1, 8)]


def _rings(geometry: dict | None) -> list:
    if not geometry:
        return []
    if geometry.get("type") == "Polygon":
        return list(geometry["coordinates"])
    if geometry.get("type") == "MultiPolygon":
        return [ring for polygon in geometry["coordinates"] for ring in polygon]
    return []


def _map(block: dict, boundaries: dict) -> list:
    """The map drawn from the LSOA boundaries, with the key; the banded counts are also in
    the reach tables, and priority LSOAs are outlined in black."""
    shapes = [(area, _rings(boundaries.get(area["code"]))) for area in block["areas"]]
    points = [p for _, rings in shapes for ring in rings for p in ring]
    flow: list = [_p(block["caption"], CAPTION)]
    if not points:
        return [
            *flow,
            _p("No boundaries are loaded, so there is no map; the tables above have every figure."),
            Spacer(1, 8),
        ]
    min_x, max_x = min(p[0] for p in points), max(p[0] for p in points)
    min_y, max_y = min(p[1] for p in points), max(p[1] for p in points)
    x_scale = math.cos(math.radians((min_y + max_y) / 2))
    span_x = max((max_x - min_x) * x_scale, 1e-9)
    span_y = max(max_y - min_y, 1e-9)
    size = min(PAGE_WIDTH, 150 * mm)
    scale = size / max(span_x, span_y)
    drawing = Drawing(span_x * scale, span_y * scale)
    legend = [colors.HexColor(colour) for colour, _ in block["legend"]]
    for area, rings in shapes:
        for ring in rings:
            coords = []
            for x, y in ring:
                coords += [(x - min_x) * x_scale * scale, (y - min_y) * scale]
            drawing.add(
                Polygon(
                    coords,
                    fillColor=legend[area["band"]],
                    strokeColor=BLACK if area["is_priority"] else colors.white,
                    strokeWidth=0.8 if area["is_priority"] else 0.1,
                )
            )
    entries = [*block["legend"], ["#ffffff", "Black outline: priority LSOA"]]
    key = Table([["", _p(label, SMALL)] for _, label in entries], colWidths=[6 * mm, 70 * mm])
    key_style = [("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
    for row, (colour, _) in enumerate(entries):
        key_style.append(("BACKGROUND", (0, row), (0, row), colors.HexColor(colour)))
        key_style.append(
            ("BOX", (0, row), (0, row), 0.8 if row == len(entries) - 1 else 0.25, BLACK)
        )
    key.setStyle(TableStyle(key_style))
    return [*flow, drawing, key, Spacer(1, 8)]


DRAWERS = {
    "paragraph": _paragraph,
    "headlines": _headlines,
    "table": _table,
    "bar_chart": _bar_chart,
    "map": _map,
}


def map_codes(content: dict) -> list[str]:
    """LSOA codes whose boundaries the PDF's maps need."""
    return [
        area["code"]
        for section in content.get("sections", [])
        for block in section["blocks"]
        if block["type"] == "map"
        for area in block["areas"]
    ]


def _period(meta: dict) -> str:
    """ "Financial year 2025 to 2026 (1 April 2025 to 31 March 2026)", or the dates."""
    name, dates = meta.get("period_name"), meta.get("period", "")
    return f"{name} ({dates})" if name and name != dates else dates


def render_pdf(content: dict, *, boundaries: dict | None = None) -> bytes:
    """The whole report: title, what it covers, then each section's blocks in order."""
    boundaries = boundaries or {}
    meta = content.get("meta", {})
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=meta.get("title", "Impact report"),
        author=meta.get("partnership", ""),
        subject=f"{meta.get('scope', '')}, {meta.get('period', '')}",
        lang="en-GB",
    )
    flow: list = [
        _p(meta.get("title", "Impact report"), H1),
        _p(
            f"{meta.get('partnership', '')}. Scope: {meta.get('scope', '')}. "
            f"Period: {_period(meta)}."
        ),
        _p(
            f"Built {meta.get('built_at', '')}. Counts of people from 1 to "
            f"{meta.get('threshold', 5) - 1} are shown as “<{meta.get('threshold', 5)}”.",
            SMALL,
        ),
        Spacer(1, 8),
    ]
    for section in content.get("sections", []):
        flow.append(_p(section["title"], H2))
        for block in section["blocks"]:
            flow += DRAWERS[block["type"]](block, boundaries)

    def footer(canvas, doc_) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.drawString(18 * mm, 10 * mm, f"{meta.get('title', '')} – page {doc_.page}")
        canvas.restoreState()

    doc.build(flow, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
