"""A referral's timeline: contacts, outcomes and status changes in the order they happened.

Outcomes carry a date and no time: they are shown with their date only, and placed after
every timed entry of the same day (an outcome reached on the day of the arrest comes after
the arrest, never at "00:00" above it)."""

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from programmes.models import Referral


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    kind: str
    title: str
    detail: str
    by: str
    date_only: bool = False  # `at` is the day's start; the time is not known


def _order(entry: TimelineEntry):
    # by local day; within a day the timed entries by time, then the date-only ones
    return (timezone.localdate(entry.at), entry.date_only, entry.at)


def referral_timeline(*, referral: Referral) -> list[TimelineEntry]:
    """Contacts, status changes and outcomes of one referral, oldest first (3 queries)."""
    entries = [
        TimelineEntry(referral.event_at, "event", "Event", referral.get_reason_display(), ""),
        TimelineEntry(
            referral.referred_at, "referral", "Referred", referral.get_source_display(), ""
        ),
    ]
    for change in referral.status_changes.select_related("changed_by"):
        detail = change.get_closure_reason_display() if change.closure_reason else ""
        entries.append(
            TimelineEntry(
                change.changed_at,
                "status",
                f"Status: {change.get_to_status_display()}",
                detail,
                str(change.changed_by or "system"),
            )
        )
    for contact in referral.contacts.select_related("recorded_by"):
        entries.append(
            TimelineEntry(
                contact.occurred_at,
                "contact",
                f"Contact ({contact.get_method_display()}, {contact.duration_minutes} min)",
                " ".join(
                    filter(
                        None,
                        [contact.notes, f"Next: {contact.next_step}" if contact.next_step else ""],
                    )
                ),
                str(contact.recorded_by or ""),
            )
        )
    for outcome in referral.outcomes.select_related("recorded_by"):
        at = timezone.make_aware(datetime.combine(outcome.achieved_on, datetime.min.time()))
        entries.append(
            TimelineEntry(
                at,
                "outcome",
                f"Outcome: {outcome.get_kind_display()}",
                outcome.notes,
                str(outcome.recorded_by or ""),
                date_only=True,
            )
        )
    return sorted(entries, key=_order)
