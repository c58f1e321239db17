"""Decision letters as PDFs (reportlab)."""

import datetime
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


def _panel_view(decision, styles) -> list:
    """The youth panel's moderated view, as stored on the decision: its weighted score
    (from how many reviewers) and only the comments the grants officer chose. One reviewer
    is never presented as the panel, and with no comments chosen there is no "what they
    said" section."""
    body = styles["BodyText"]
    story = []
    reviewers = decision.panel_reviewers
    if reviewers and decision.panel_score is not None:
        score = f"{decision.panel_score:.2f} out of 5"
        if reviewers == 1:
            story.append(Paragraph("How a young reviewer scored your project", styles["Heading3"]))
            story.append(
                Paragraph(f"One young reviewer from our youth panel scored it {score}.", body)
            )
        else:
            story.append(Paragraph("How our youth panel scored your project", styles["Heading3"]))
            story.append(
                Paragraph(
                    f"{reviewers} young reviewers scored it. The panel's score is {score}: "
                    "the average of the reviewers' scores, each weighted by criterion.",
                    body,
                )
            )
    if decision.quoted_comments:
        heading = "What our youth panel said" if reviewers > 1 else "What the young reviewer said"
        story.append(Paragraph(heading, styles["Heading3"]))
        by_criterion: dict[str, list[str]] = {}
        for quote in decision.quoted_comments:
            by_criterion.setdefault(quote["criterion"], []).append(quote["comment"])
        for criterion, comments in by_criterion.items():
            story.append(Paragraph(f"<b>{escape(criterion)}</b>", body))
            story += [
                Paragraph("“" + escape(c).replace("\n", "<br/>") + "”", body) for c in comments
            ]
    elif decision.feedback:
        # a decision recorded before letters quoted the panel's moderated view
        story.append(Paragraph("Feedback", styles["Heading3"]))
        story += _paragraphs(decision.feedback, body)
    return story


def decision_letter_pdf(decision, *, dated: datetime.date | None = None) -> bytes:
    """The letter as sent today, or as it was sent on ``dated`` (drawn again at retention)."""
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
        Paragraph(f"{dated or timezone.localdate():%-d %B %Y}", body),
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
    story += _panel_view(decision, styles)
    story += [
        Spacer(1, 6 * mm),
        Paragraph("Yours sincerely,", body),
        Paragraph(escape(f"{grant_round.partnership.short_name} grants team"), body),
    ]
    doc.build(story)
    return buffer.getvalue()
