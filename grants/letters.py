"""Decision letters as PDFs (reportlab)."""

import io
from xml.sax.saxutils import escape

from django.utils import timezone
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

OPENINGS = {
    "fund": "We are pleased to tell you that we will fund your project.",
    "fund_conditions": "We are pleased to tell you that we will fund your project, "
    "on the conditions below.",
    "not_fund": "We are sorry to tell you that we are not able to fund your project this time.",
}


def _paragraphs(text: str, style) -> list:
    return [
        Paragraph(escape(part).replace("\n", "<br/>"), style)
        for part in text.split("\n\n")
        if part.strip()
    ]


def decision_letter_pdf(decision) -> bytes:
    application = decision.application
    grant_round = application.grant_round
    styles = getSampleStyleSheet()
    body = styles["BodyText"]
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        title=f"Decision: {application.title}",
        author=grant_round.partnership.name,
    )
    story = [
        Paragraph(escape(grant_round.partnership.name), styles["Title"]),
        Paragraph(f"{timezone.localdate():%-d %B %Y}", body),
        Spacer(1, 6 * mm),
        Paragraph(
            escape(f"Dear {application.contact_name or application.organisation.name},"), body
        ),
        Paragraph(
            escape(
                f"Thank you for applying to {grant_round.title} ({grant_round.fund}) "
                f"for “{application.title}”."
            ),
            body,
        ),
        Paragraph(OPENINGS[decision.outcome], body),
    ]
    if decision.amount:
        story.append(Paragraph(f"Amount awarded: £{decision.amount:,.2f}", styles["Heading3"]))
    if decision.conditions:
        story.append(Paragraph("Conditions", styles["Heading3"]))
        story += _paragraphs(decision.conditions, body)
    story.append(Paragraph("Reasons for our decision", styles["Heading3"]))
    story += _paragraphs(decision.reasons, body)
    if decision.feedback:
        story.append(Paragraph("What our youth panel said", styles["Heading3"]))
        story += _paragraphs(decision.feedback, body)
    story += [
        Spacer(1, 6 * mm),
        Paragraph("Yours sincerely,", body),
        Paragraph(escape(f"{grant_round.partnership.short_name} grants team"), body),
    ]
    doc.build(story)
    return buffer.getvalue()
