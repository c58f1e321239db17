"""Youth reviewers' details and scores (vru.data_kinds REVIEWER) and applicants' contact
details (APPLICANT), once a round closed more than the kind's period ago; the daily retention
per kind (rights.services.retention) calls ``reviewers_expire`` and ``applicants_expire``
with the period.

Reviewers:

- Their written comments and the reasons given about them (a declared conflict, a release)
  go; the score numbers stay, as the round's decisions rest on them.
- The comments a decision quoted from them (Decision.quoted_comments: no names, but a young
  reviewer may be known by what they wrote) go with the comments themselves, and so does the
  free-text panel feedback older decisions gave instead (Decision.feedback: the panel's view
  in someone's words, which may name people); the decision, its reasons and the panel's
  score and number of reviewers stay. A decision letter kept on file is drawn again without
  the quotes or the feedback, dated as it was sent.
- Their identity is detached from the round's scores: the round's assignments move to a
  stand-in panel member with no account and no details, one per reviewer and round (so the
  round's record still shows which scores one person gave, never who).
- A reviewer with no round left, whose account has not been used within the period (nor
  created within it), has the account anonymised: name, e-mail, date of birth, training and
  consent dates go, it cannot sign in and holds no role. An account that also holds another
  role than youth reviewer is left to its administrators.

Applicants:

- An application's contact (name, e-mail address, phone number) goes once its round closed
  more than the period ago; the application itself stays (the grant records rest on it).
- An organisation's contact e-mail address and phone number go once every round it applied
  to closed more than the period ago, so an organisation with a later application keeps them
  until that one's period ends. Its own public details (name, type, charity and company
  numbers, address) stay. An organisation that never applied has no event to count from.
- The files attached to an application (a constitution, a safeguarding policy, a CV or a
  reference: anything the applicant chose to send) go once its round closed more than the
  period ago, with their titles: the rows at once, the stored files from storage only once
  this kind's transaction commits, so a kind that rolls back leaves every file in place.
  Audited per partnership as a count.
- A decision letter already sent is stored, and it opens with the contact's name: when the
  contact goes, the stored letter is drawn again from the decision, dated as it was sent and
  opening with the organisation's name (what was decided, and why, stays).
- An applicant's own account (the person who signs in to apply for an organisation) is
  anonymised once neither its organisation nor the account itself has an application in a
  round still within the period, and the account has not been used within the period (nor
  created within it): name, e-mail address and username go, it cannot sign in, holds no
  role, no longer acts for the organisation, and its sessions end. The applications it wrote
  stay, pointing at the anonymised account. An account that also holds another role than
  applicant is left to its administrators.

Monitoring returns' case studies (CASE_STUDIES): a funded project's story of the young
people it worked with goes once the return fell due (or was sent, if later) more than the
period ago; the return's figures (young people reached by age band and neighbourhood,
sessions, starts, completions, outcomes, spend) and its status stay, and the return records
when the story went (its page says so).

Accounts of both reviewers and applicants are anonymised by the core's one way of doing it
(vru.services.user_anonymise), and audited without the old values.
"""

import datetime
from functools import partial

from dateutil.relativedelta import relativedelta
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from grants.models import (
    Application,
    Assignment,
    Attachment,
    Decision,
    GrantRound,
    MonitoringReturn,
    Organisation,
    OrganisationMembership,
    PanelMember,
)
from grants.services import letters
from grants.services.panels import reviewer_comments_expire
from vru.models import AuditEvent, Partnership, Role, RoleAssignment, User
from vru.services import audit_record, user_anonymise
from vru.services.accounts import ACCOUNT_DETAILS_REMOVED

REASON_REMOVED = "(removed at the end of its retention period)"


@transaction.atomic
def reviewers_expire(*, now: datetime.datetime, months: int) -> int:
    """Returns the number of records changed: comments cleared, assignments detached and
    accounts anonymised."""
    cutoff = now - relativedelta(months=months)
    changed = reviewer_comments_expire(now=now, months=months)
    expired = Assignment.objects.filter(
        application__grant_round__in=GrantRound.objects.filter(closes_at__lte=cutoff)
    )
    changed += expired.exclude(conflict_reason="").update(conflict_reason="")
    changed += (
        expired.filter(status=Assignment.Status.RELEASED)
        .exclude(release_reason=REASON_REMOVED)
        .update(release_reason=REASON_REMOVED)
    )
    changed += _detach(expired.filter(reviewer__anonymised_at__isnull=True), now)
    changed += _anonymise_accounts(cutoff, now)
    return changed + _panel_words_remove(cutoff)


@transaction.atomic
def applicants_expire(*, now: datetime.datetime, months: int) -> int:
    """Returns the number of records changed: applications and organisations whose contact
    details were cleared (one already cleared is not counted again), and applicants'
    accounts anonymised."""
    cutoff = now - relativedelta(months=months)
    has_contact = Q(contact_name__gt="") | Q(contact_email__gt="") | Q(contact_phone__gt="")
    expired = Application.objects.filter(grant_round__closes_at__lte=cutoff).filter(has_contact)
    named_letters = list(
        Decision.objects.filter(application__in=expired.filter(contact_name__gt=""))
        .exclude(letter="")
        .values_list("pk", flat=True)
    )
    changed = expired.update(contact_name="", contact_email="", contact_phone="")
    changed += _letters_redraw(named_letters)
    still_counting = Application.objects.filter(grant_round__closes_at__gt=cutoff).values(
        "organisation_id"
    )
    changed += (
        Organisation.objects.filter(pk__in=Application.objects.values("organisation_id"))
        .exclude(pk__in=still_counting)
        .filter(Q(contact_email__gt="") | Q(contact_phone__gt=""))
        .update(contact_email="", contact_phone="")
    )
    changed += _attachments_remove(cutoff)
    changed += _anonymise_applicant_accounts(cutoff)
    return changed


@transaction.atomic
def case_studies_expire(*, now: datetime.datetime, months: int) -> int:
    """Returns the number of returns whose case study was cleared (one already cleared is
    not counted again)."""
    cutoff = now - relativedelta(months=months)
    due_by = timezone.localdate(now) - relativedelta(months=months)
    return (
        MonitoringReturn.objects.filter(due_on__lte=due_by)
        .filter(Q(submitted_at__isnull=True) | Q(submitted_at__lte=cutoff))
        .exclude(case_study="")
        .update(case_study="", case_study_cleared_at=now)
    )


def _attachments_remove(cutoff) -> int:
    """The files attached to applications in rounds closed by the cutoff (see above)."""
    expired = Attachment.objects.filter(application__grant_round__closes_at__lte=cutoff)
    per_partnership = {
        row["application__grant_round__partnership"]: row["n"]
        for row in expired.order_by()
        .values("application__grant_round__partnership")
        .annotate(n=Count("pk"))
    }
    if not per_partnership:
        return 0
    partnerships = Partnership.objects.in_bulk(per_partnership)
    storage = Attachment._meta.get_field("file").storage
    names = list(expired.values_list("file", flat=True))
    removed = expired.delete()[0]
    for name in names:
        transaction.on_commit(partial(storage.delete, name), robust=True)
    for partnership_id, count in sorted(per_partnership.items()):
        audit_record(
            actor=None,
            action=AuditEvent.Action.DELETE,
            verb="application_attachments.expired",
            partnership=partnerships[partnership_id],
            changes={"attachments": count, "before": cutoff.isoformat()},
        )
    return removed


def _panel_words_remove(cutoff) -> int:
    """The reviewers' comments quoted by decisions, and the panel feedback of older
    decisions, in rounds closed by the cutoff (see above); returns the decisions changed
    (their letters drawn again are not counted)."""
    holding = Decision.objects.filter(application__grant_round__closes_at__lte=cutoff).filter(
        ~Q(quoted_comments=[]) | ~Q(feedback="")
    )
    ids = list(holding.values_list("pk", flat=True))
    Decision.objects.filter(pk__in=ids).update(quoted_comments=[], feedback="")
    _letters_redraw(
        list(Decision.objects.filter(pk__in=ids).exclude(letter="").values_list("pk", flat=True))
    )
    return len(ids)


def _letters_redraw(decision_ids) -> int:
    """Draw the stored letters again from their decisions as they now are (without the
    contact's name, or the panel's words: see above); the old file goes once the run
    commits."""
    decisions = Decision.objects.filter(pk__in=decision_ids).select_related(
        "application__organisation", "application__grant_round__partnership"
    )
    for decision in decisions:
        sent_on = timezone.localdate(decision.letter_sent_at) if decision.letter_sent_at else None
        old_letter, storage = decision.letter.name, decision.letter.storage
        decision.letter.save(
            f"decision-{decision.pk}.pdf",
            ContentFile(letters.decision_letter_pdf(decision, dated=sent_on)),
            save=False,
        )
        decision.save(update_fields=["letter"])
        transaction.on_commit(lambda name=old_letter, storage=storage: storage.delete(name))
    return len(decision_ids)


def _detach(expired, now) -> int:
    pairs = expired.values_list(
        "reviewer_id", "reviewer__partnership_id", "application__grant_round_id"
    )
    moved = 0
    for reviewer_id, partnership_id, round_id in sorted(set(pairs)):
        stand_in = PanelMember.objects.create(
            partnership_id=partnership_id,
            user=None,
            date_of_birth=None,
            active=False,
            anonymised_at=now,
        )
        moved += Assignment.objects.filter(
            reviewer_id=reviewer_id, application__grant_round_id=round_id
        ).update(reviewer=stand_in)
    return moved


def _unused(cutoff, *, through: str = "") -> Q:
    """An account not used (nor created) within the period."""
    return Q(**{f"{through}last_login__lte": cutoff}) | Q(
        **{f"{through}last_login__isnull": True, f"{through}date_joined__lte": cutoff}
    )


def _anonymise_accounts(cutoff, now) -> int:
    other_roles = RoleAssignment.objects.exclude(role=Role.YOUTH_REVIEWER).values("user_id")
    members = (
        PanelMember.objects.filter(
            _unused(cutoff, through="user__"), anonymised_at__isnull=True, user__isnull=False
        )
        .filter(assignments__isnull=True)
        .exclude(user_id__in=other_roles)
        .select_related("user")
    )
    anonymised = 0
    for member in members:
        user_anonymise(user=member.user, stand_in=f"anonymised-reviewer-{member.pk}")
        member.date_of_birth = member.training_completed_on = None
        member.guardian_consent_recorded_on = None
        member.active, member.anonymised_at = False, now
        member.save()
        audit_record(
            actor=None,
            action=AuditEvent.Action.DELETE,
            verb="panel_member.anonymised",
            target=member,
            partnership=member.partnership,
        )
        anonymised += 1
    return anonymised


def _anonymise_applicant_accounts(cutoff) -> int:
    """Applicants' accounts no application within the period still needs (see above)."""
    recent = Application.objects.filter(grant_round__closes_at__gt=cutoff)
    acting_for_recent = OrganisationMembership.objects.filter(
        organisation_id__in=recent.values("organisation_id")
    ).values("user_id")
    other_roles = RoleAssignment.objects.exclude(role=Role.APPLICANT).values("user_id")
    accounts = (
        User.objects.filter(_unused(cutoff), role_assignments__role=Role.APPLICANT)
        .exclude(is_superuser=True)
        .exclude(pk__in=other_roles)
        .exclude(pk__in=acting_for_recent)
        .exclude(pk__in=recent.values("created_by_id"))
        .select_related("partnership")
        .order_by("pk")
    )
    anonymised = 0
    for user in accounts:
        OrganisationMembership.objects.filter(user=user).delete()
        user_anonymise(user=user, stand_in=f"anonymised-applicant-{user.pk}")
        audit_record(
            actor=None,
            action=AuditEvent.Action.DELETE,
            verb="applicant.anonymised",
            target=user,
            partnership=user.partnership,
            changes={"removed": [*ACCOUNT_DETAILS_REMOVED, "organisation membership"]},
        )
        anonymised += 1
    return anonymised
