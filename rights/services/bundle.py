"""The subject access bundle, built from the gathered rows with their redactions applied:
an accessible PDF (title, language, headings as PDF outline entries, text rather than
pictures of text; reportlab, as evaluation's impact reports) and a machine-readable archive
(JSON and CSV), together in one zip."""

import csv
import io
import json
import zipfile
from xml.sax.saxutils import escape

from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from rights.models import GatheredItem, SubjectAccessRequest
from rights.models.requests import redacted_text
from rights.services.gather import LISTENING_NOTE
from vru import data_kinds

BLACK = colors.HexColor("#0b0c0c")
GREY = colors.HexColor("#f3f2f1")
_styles = getSampleStyleSheet()
BODY = ParagraphStyle("sar-body", parent=_styles["BodyText"], fontSize=10, leading=13)
SMALL = ParagraphStyle("sar-small", parent=BODY, fontSize=8, leading=10)
H1 = ParagraphStyle("sar-h1", parent=_styles["Heading1"], fontSize=20, leading=24, textColor=BLACK)
H2 = ParagraphStyle("sar-h2", parent=_styles["Heading2"], fontSize=15, leading=19, textColor=BLACK)
PAGE_WIDTH = A4[0] - 36 * mm


def bundle_content(sar: SubjectAccessRequest) -> dict:
    """Everything the bundle says, once: the PDF, JSON and CSV are drawn from this."""
    items = GatheredItem.objects.filter(request=sar).prefetch_related("redactions")
    rows, redactions = [], 0
    for item in items:
        applied = list(item.redactions.all())
        redactions += len(applied)
        rows.append(
            {
                "kind": item.kind,
                "section": item.get_kind_display(),
                "source": item.source_label,
                "source_id": item.source_id,
                "field": item.field,
                "text": redacted_text(item.text, applied),
                "redacted_because": [r.reason for r in applied],
            }
        )
    sections = []
    for kind, label in GatheredItem.Kind.choices:
        section_rows = [row for row in rows if row["kind"] == kind]
        note = ""
        if kind == GatheredItem.Kind.LISTENING:
            note = LISTENING_NOTE
        elif not section_rows:
            note = "Nothing of this kind is held."
        sections.append({"kind": kind, "title": label, "items": section_rows, "note": note})
    return {
        "meta": {
            "title": f"Your records: subject access request {sar.pk}",
            "partnership": sar.partnership.name,
            "reference": sar.young_person.reference,
            "received_on": sar.received_on.isoformat(),
            "built_at": f"{timezone.localtime():%-d %B %Y %H:%M}",
            "redactions": redactions,
        },
        "sections": sections,
        "items": rows,
        "rules": [
            {
                "kind": rule.kind.label,
                "lawful_basis": rule.lawful_basis,
                "condition": rule.condition,
                "kept_for_months": data_kinds.retention_months(rule.kind),
                "counted_from": rule.retention_from,
            }
            for rule in data_kinds.RULES.values()
        ],
    }


class _Heading(Paragraph):
    """A heading that becomes an entry of the PDF's outline (its navigable structure)."""

    def __init__(self, text: str, style: ParagraphStyle, level: int):
        super().__init__(escape(text), style)
        self.outline_text, self.outline_level = text, level


def _on_flowable(doc, flowable) -> None:
    if isinstance(flowable, _Heading):
        key = f"h{id(flowable)}"
        doc.canv.bookmarkPage(key)
        doc.canv.addOutlineEntry(flowable.outline_text, key, level=flowable.outline_level)


def _p(text: str, style: ParagraphStyle = BODY) -> Paragraph:
    return Paragraph(escape(str(text)).replace("\n", "<br/>"), style)


def render_pdf(content: dict) -> bytes:
    meta = content["meta"]
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=meta["title"],
        author=meta["partnership"],
        subject="Subject access request (UK GDPR Article 15)",
        lang="en-GB",
    )
    doc.afterFlowable = lambda flowable: _on_flowable(doc, flowable)
    flow: list = [
        _Heading(meta["title"], H1, 0),
        _p(
            f"Everything {meta['partnership']} holds about the young person with reference "
            f"{meta['reference']}, gathered for the request received on {meta['received_on']}. "
            f"Built {meta['built_at']}."
        ),
        _p(
            f"Some words are shown as “[redacted]” ({meta['redactions']} in all): they are "
            "about other people, and the reason is given beside each.",
            SMALL,
        ),
        Spacer(1, 8),
    ]
    for section in content["sections"]:
        flow.append(_Heading(section["title"], H2, 1))
        if section["note"]:
            flow.append(_p(section["note"]))
        if section["items"]:
            data = [[_p("Record", SMALL), _p("What", SMALL), _p("Held", SMALL)]]
            for row in section["items"]:
                held = row["text"]
                if row["redacted_because"]:
                    held += "\n(Redacted: " + "; ".join(row["redacted_because"]) + ")"
                data.append(
                    [
                        _p(f"{row['source']} ({row['source_id']})", SMALL),
                        _p(row["field"], SMALL),
                        _p(held, SMALL),
                    ]
                )
            table = Table(data, colWidths=[50 * mm, 35 * mm, PAGE_WIDTH - 85 * mm], repeatRows=1)
            table.setStyle(
                TableStyle(
                    [
                        ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#b1b4b6")),
                        ("BACKGROUND", (0, 0), (-1, 0), GREY),
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ]
                )
            )
            flow.append(table)
        flow.append(Spacer(1, 8))
    flow.append(_Heading("Why we hold it and for how long", H2, 1))
    for rule in content["rules"]:
        flow.append(
            _p(
                f"{rule['kind']}: {rule['lawful_basis']}"
                + (f"; {rule['condition']}" if rule["condition"] else "")
                + f". Kept for {rule['kept_for_months']} months after {rule['counted_from']}.",
                SMALL,
            )
        )

    def footer(canvas, doc_) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.drawString(18 * mm, 10 * mm, f"{meta['title']} – page {doc_.page}")
        canvas.restoreState()

    doc.build(flow, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


def render_csv(content: dict) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["section", "source", "source_id", "field", "text", "redacted_because"])
    for row in content["items"]:
        writer.writerow(
            [
                row["section"],
                row["source"],
                row["source_id"],
                row["field"],
                row["text"],
                "; ".join(row["redacted_because"]),
            ]
        )
    return out.getvalue().encode("utf-8-sig")


def render_archive(content: dict) -> bytes:
    """One zip: the PDF to read, and the same records as JSON and CSV for machines."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("records.pdf", render_pdf(content))
        archive.writestr("records.json", json.dumps(content, indent=2, ensure_ascii=False))
        archive.writestr("records.csv", render_csv(content))
        archive.writestr(
            "README.txt",
            "records.pdf: your records to read.\n"
            "records.json and records.csv: the same records, for a computer to read.\n",
        )
    return buffer.getvalue()
