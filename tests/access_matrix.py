"""The whole-site access matrix: every named route of the URL configuration (pages, API
router routes, exports, imports) and who may open it. docs/roles.md says the same in words.

tests/test_access_matrix.py walks ``django.urls.get_resolver()`` and fails for a route that
has no entry here, then tries every role on every door below with objects inside the role's
scope ("in"), in its partnership but outside its scope ("out") and in another partnership
("other"): allowed roles get ``ok`` (200 unless said), the others 403 or 404 (anonymous: the
sign-in page, or 401/403 from the API), never a 500 and never another partnership's data.

Adding a route is one line in ROUTES, for example::

    "grants:round_archive": door(GRANT_STAFF, objects="grant_round", method="post", ok=REDIRECT),

- ``allowed``: roles that may open it with an object in their scope ("anonymous" for public).
- ``objects``: the kind of record that fills the URL's arguments (a key of the world in
  tests/access_world.py; KWARGS below says how it becomes URL arguments).
- ``out``: who may still open it with a record of their partnership outside the narrow
  scope (defaults to ``allowed``: no narrower scope).
- ``method``: "post" for doors that only take POST (sent with an empty form).
- ``query``: e.g. "?format=csv" for the export behind a list page.
- ``api_list(roles)``: an API list, where refused roles may get an empty list.
A route with several doors (a page and its exports) maps to a tuple of doors. The admin
site is listed separately in ADMIN (its own tests cover each model admin).
"""

from dataclasses import dataclass, field

from vru.models import Role

ANONYMOUS = "anonymous"
ADMIN = Role.ADMINISTRATOR
ANALYST = Role.ANALYST
MANAGER = Role.PROGRAMME_MANAGER
PRACTITIONER = Role.PRACTITIONER
GRANTS_OFFICER = Role.GRANTS_OFFICER
REVIEWER = Role.YOUTH_REVIEWER
APPLICANT = Role.APPLICANT
COMMISSIONER = Role.COMMISSIONER
PARTNER = Role.PARTNER
PROVIDER = Role.PROVIDER

ROLES = [*Role, ANONYMOUS]
SIGNED_IN = frozenset(Role)
PUBLIC = frozenset(ROLES)
NOBODY = frozenset()
STAFF = frozenset({ADMIN, ANALYST, MANAGER, PRACTITIONER, GRANTS_OFFICER})
READERS = STAFF | {COMMISSIONER}  # area, strategy and programme pages
EDITORS = frozenset({ADMIN, ANALYST})  # strategy upkeep, imports, the risk index
# referrals, sessions: provider staff as practitioners of their contracts' programmes
CASE_WORKERS = frozenset({ADMIN, MANAGER, PRACTITIONER, PROVIDER})
CASE_MANAGERS = frozenset({ADMIN, MANAGER})
GRANT_STAFF = frozenset({ADMIN, GRANTS_OFFICER})
FEEDBACK_READERS = frozenset({ADMIN, ANALYST, MANAGER, GRANTS_OFFICER})
SAFEGUARDING = frozenset({ADMIN})
SHARING_KEEPERS = frozenset({ADMIN})  # and the partnership's data protection lead
# Rights requests: administrators and the data protection lead (a responsibility given to a
# user, not a role: tests/rights/test_access.py tries the lead at every door).
DATA_PROTECTION = frozenset({ADMIN})

OK = frozenset({200})
REDIRECT = frozenset({302})
OK_OR_REDIRECT = frozenset({200, 302})
NOT_FOUND = frozenset({404})
FORM_POSTED = frozenset({200, 302, 400})  # a POST-only form sent empty: errors or done


@dataclass(frozen=True)
class Door:
    allowed: frozenset
    objects: str | None = None
    out: frozenset | None = None
    method: str = "get"
    query: str = ""
    kwargs: dict = field(default_factory=dict)
    ok: frozenset = OK
    empty_when_refused: bool = False

    @property
    def allowed_out(self) -> frozenset:
        return self.allowed if self.out is None else self.out


def door(
    allowed,
    *,
    objects=None,
    out=None,
    method="get",
    query="",
    kwargs=None,
    ok=OK,
    empty_when_refused=False,
) -> Door:
    return Door(
        frozenset(allowed),
        objects,
        None if out is None else frozenset(out),
        method,
        query,
        kwargs or {},
        frozenset(ok),
        empty_when_refused,
    )


def api_list(allowed) -> Door:
    """An API list: the roles allowed see their records; every other signed-in role gets
    either 403/404 or 200 with an empty list (the list is scoped, never an error)."""
    return door(allowed, empty_when_refused=True)


def with_exports(allowed, *formats, exports_allowed=None, **options) -> tuple[Door, ...]:
    """A list page and its ?format= exports (same roles unless ``exports_allowed``)."""
    export_roles = allowed if exports_allowed is None else exports_allowed
    exports = (door(export_roles, query=f"?format={f}", **options) for f in formats)
    return (door(allowed, **options), *exports)


# How a world record becomes URL arguments (default: {"pk": record.pk}).
KWARGS = {
    "lsoa": lambda o: {"code": o.code},
    "attachment": lambda o: {"pk": o.application_id, "file_pk": o.pk},
    "response": lambda o: {"pk": o.exercise_id, "response_pk": o.pk},
    "action": lambda o: {"pk": o.theme.exercise_id, "action_pk": o.pk},
    "public_exercise": lambda o: {"slug": o.public_slug},
    "safeguarding_alert": lambda o: {"alert_pk": o.pk},
    "benefit_assumption": lambda o: {"pk": o.evaluation_id, "assumption_pk": o.pk},
    "scored_referral": lambda o: {"referral_pk": o.pk},
    "outcome_score": lambda o: {"referral_pk": o.referral_id, "score_pk": o.pk},
    "listening_import_job": lambda o: {"pk": o.target_id, "job_pk": o.pk},
    "gathered_item": lambda o: {"pk": o.request_id, "item_pk": o.pk},
    "redaction": lambda o: {"pk": o.item.request_id, "redaction_pk": o.pk},
    "spend_import_job": lambda o: {"job_pk": o.pk},
    "kpi": lambda o: {"pk": o.contract_id, "kpi_pk": o.pk},
    "partner_token": lambda o: {"pk": o.agreement_id, "token_pk": o.pk},
    "provider_staff": lambda o: {"pk": o.provider_id, "staff_pk": o.pk},
    "return_cell": lambda o: {"pk": o.pk, "programme_pk": o.programme_pk, "column": o.column},
    "population_import_job": lambda o: {"job_pk": o.pk},
}

# Evaluations: staff who plan or commission work, and commissioners (no personal data).
EVALUATION_READERS = READERS
EVALUATION_EDITORS = EDITORS | {MANAGER}  # managers: evaluations of their programmes
OUTCOME_READERS = frozenset({ADMIN, ANALYST, MANAGER, COMMISSIONER})  # suppressed aggregates
REPORT_READERS = OUTCOME_READERS

# Money: read by those who plan and commission work; kept by administrators and grants officers.
FINANCE_READERS = frozenset({ADMIN, ANALYST, MANAGER, GRANTS_OFFICER, COMMISSIONER})
FINANCE_KEEPERS = GRANT_STAFF
RETURN_READERS = FINANCE_KEEPERS | {ANALYST, COMMISSIONER}
CONTRACT_READERS = FINANCE_KEEPERS | {PROVIDER}  # provider staff: their own contract only


ROUTES: dict[str, Door | tuple[Door, ...]] = {
    # --- core pages -------------------------------------------------------------------
    "home": door(SIGNED_IN),
    "accessibility": door(PUBLIC),
    "healthz": door(PUBLIC),
    "favicon.ico": door(PUBLIC, ok={301}),
    "login": door(PUBLIC, ok=OK_OR_REDIRECT),  # signed in: redirected onwards
    # --- accounts (allauth; the tests switch MFA enforcement and re-authentication off) --
    "account_login": door(PUBLIC, ok=OK_OR_REDIRECT),
    "account_logout": door(SIGNED_IN, method="post", ok=OK_OR_REDIRECT),
    "account_inactive": door(PUBLIC),
    "account_reauthenticate": door(SIGNED_IN, ok=OK_OR_REDIRECT),
    "account_change_password": door(SIGNED_IN),
    "account_set_password": door(SIGNED_IN, ok=REDIRECT),  # has a password: to change
    "account_reset_password": door(PUBLIC, ok=OK_OR_REDIRECT),
    "account_reset_password_done": door(PUBLIC, ok=OK_OR_REDIRECT),
    "account_reset_password_from_key": door(
        PUBLIC, kwargs={"uidb36": "zz", "key": "not-a-key"}, ok=OK_OR_REDIRECT
    ),
    "account_reset_password_from_key_done": door(PUBLIC, ok=OK_OR_REDIRECT),
    "session_list": door(SIGNED_IN),
    "session_end": door(SIGNED_IN, method="post", ok=REDIRECT),
    "api_token_create": door(SIGNED_IN),
    # only one's own tokens: tests/vru/test_api_tokens.py opens them
    "api_token_revoke": door(SIGNED_IN, kwargs={"pk": 999999}, ok=NOT_FOUND),
    "mfa_index": door(SIGNED_IN),
    "mfa_authenticate": door(PUBLIC, ok=OK_OR_REDIRECT),
    "mfa_reauthenticate": door(SIGNED_IN, ok=OK_OR_REDIRECT),
    "mfa_activate_totp": door(SIGNED_IN, ok=OK_OR_REDIRECT),
    # a password-only user has no TOTP and no recovery codes: allauth answers 404
    "mfa_deactivate_totp": door(SIGNED_IN, ok=NOT_FOUND),
    "mfa_view_recovery_codes": door(SIGNED_IN, ok=NOT_FOUND),
    "mfa_generate_recovery_codes": door(SIGNED_IN, ok=OK_OR_REDIRECT),
    "mfa_download_recovery_codes": door(SIGNED_IN, ok=NOT_FOUND),
    "mfa_list_webauthn": door(SIGNED_IN, ok=OK_OR_REDIRECT),
    "mfa_add_webauthn": door(SIGNED_IN, ok=OK_OR_REDIRECT),
    "mfa_reauthenticate_webauthn": door(SIGNED_IN, ok=OK_OR_REDIRECT),
    # allauth asks for the password again before it looks the key up (only the user's own)
    "mfa_remove_webauthn": door(SIGNED_IN, kwargs={"pk": 999999}, ok=REDIRECT),
    "mfa_edit_webauthn": door(SIGNED_IN, kwargs={"pk": 999999}, ok=REDIRECT),
    "logout": door(SIGNED_IN, method="post", ok=OK_OR_REDIRECT),
    "vru:lsoa_list": with_exports(READERS, "csv", "xlsx"),
    "vru:place_suggest": door(SIGNED_IN, query="?q=E01"),  # scoped: a partnership's own
    "vru:place_map": door(SIGNED_IN),  # scoped: a partnership's own local authorities
    "vru:lsoa_detail": door(READERS, objects="lsoa"),
    "vru:sna_list": door(READERS),
    "vru:sna_detail": door(READERS, objects="needs_assessment", out=EDITORS),
    "vru:sna_document": door(READERS, objects="needs_assessment", out=EDITORS),
    "vru:success_measures": door(READERS),
    "vru:risk_map": door(READERS),
    "vru:risk_run_list": with_exports(READERS, "csv"),
    "vru:risk_run_create": door(EDITORS),
    "vru:risk_run_detail": with_exports(READERS, "csv", objects="risk_run"),
    "vru:risk_run_make_current": door(EDITORS, objects="risk_run", method="post", ok=REDIRECT),
    "vru:risk_run_compare": door(READERS, objects="risk_run", query="?other={pk}"),
    "vru:hotspot_list": with_exports(READERS, "csv"),
    "vru:area_profile_list": with_exports(READERS, "csv"),
    "vru:crime_import": door(EDITORS),
    "vru:crime_import_job": door(EDITORS, objects="crime_import_job"),
    # a completed import cannot be cancelled: the page says so
    "vru:crime_import_job_cancel": door(
        EDITORS, objects="crime_import_job", method="post", ok=REDIRECT
    ),
    # administrators, and the analyst who ran the import (the world's was the system's)
    "vru:crime_import_job_restore": door({ADMIN}, objects="crime_import_job"),
    "vru:indicator_import": door(EDITORS),
    "vru:indicator_import_job": door(EDITORS, objects="indicator_import_job"),
    # a completed import cannot be cancelled: the page says so
    "vru:indicator_import_job_cancel": door(
        EDITORS, objects="indicator_import_job", method="post", ok=REDIRECT
    ),
    # administrators, and the analyst who ran the import (the world's was the system's)
    "vru:indicator_import_job_restore": door({ADMIN}, objects="indicator_import_job"),
    "vru:postcode_import": door(EDITORS),
    "vru:postcode_import_job": door(EDITORS, objects="postcode_import_job"),
    # a completed import cannot be cancelled: the page says so
    "vru:postcode_import_job_cancel": door(
        EDITORS, objects="postcode_import_job", method="post", ok=REDIRECT
    ),
    # administrators, and the analyst who ran the import (the world's was the system's)
    "vru:postcode_import_job_restore": door({ADMIN}, objects="postcode_import_job"),
    # --- core API ---------------------------------------------------------------------
    "api:api-root": door(SIGNED_IN),
    "schema": door(SIGNED_IN),
    "api-docs": door(SIGNED_IN),
    "api:lsoa-list": api_list(READERS),
    "api:lsoa-detail": door(READERS, objects="lsoa"),
    "api:needs-assessment-list": api_list(READERS),
    "api:needs-assessment-detail": door(READERS, objects="needs_assessment", out=EDITORS),
    "api:recommendation-list": api_list(READERS),
    "api:recommendation-detail": door(READERS, objects="recommendation", out=EDITORS),
    "api:success-measure-list": api_list(READERS),
    "api:success-measure-detail": door(READERS, objects="success_measure"),
    "api:risk-run-list": api_list(READERS),
    "api:risk-run-detail": door(READERS, objects="risk_run"),
    "api:risk-run-scores": door(READERS, objects="risk_run"),
    "api:hotspot-list": api_list(READERS),
    "api:hotspot-detail": door(READERS, objects="hotspot"),
    "api:area-profile-list": api_list(READERS),
    "api:area-profile-detail": door(READERS, objects="area_profile"),
    # --- programmes -------------------------------------------------------------------
    "programmes:programme_list": with_exports(READERS, "csv"),
    "programmes:programme_detail": door(READERS, objects="programme"),
    "programmes:caseload": with_exports(CASE_WORKERS, "csv", "xlsx"),
    "programmes:referral_create": door(CASE_WORKERS),
    "programmes:referral_import": door(CASE_MANAGERS),
    "programmes:referral_detail": door(CASE_WORKERS, objects="referral", out={ADMIN}),
    "programmes:referral_contact": door(
        CASE_WORKERS, objects="referral", out={ADMIN}, method="post", ok=FORM_POSTED
    ),
    "programmes:referral_status": door(
        CASE_WORKERS, objects="referral", out={ADMIN}, method="post", ok=FORM_POSTED
    ),
    "programmes:referral_outcome": door(
        CASE_WORKERS, objects="referral", out={ADMIN}, method="post", ok=FORM_POSTED
    ),
    "programmes:referral_assign": door(CASE_MANAGERS, objects="referral", out={ADMIN}),
    "programmes:referral_consent_withdraw": door(
        CASE_WORKERS, objects="referral", out={ADMIN}, method="post", ok=FORM_POSTED
    ),
    "programmes:break_glass": door({MANAGER}),
    # correcting a record: whoever may write it (a practitioner their own cases)
    "programmes:referral_correct": door(CASE_WORKERS, objects="referral", out={ADMIN}),
    "programmes:contact_correct": door(CASE_WORKERS, objects="contact", out={ADMIN}),
    "programmes:outcome_correct": door(CASE_WORKERS, objects="outcome", out={ADMIN}),
    "programmes:session_correct": door(CASE_WORKERS, objects="session", out={ADMIN}),
    # the import's page, and the confirmation posted to it (a finished import: refused
    # with a message, back to the page)
    "programmes:referral_import_job": (
        door(CASE_MANAGERS, objects="referral_import_job", out={ADMIN}),
        door(
            CASE_MANAGERS,
            objects="referral_import_job",
            out={ADMIN},
            method="post",
            ok=REDIRECT,
        ),
    ),
    # a completed import cannot be cancelled: the page says so
    "programmes:referral_import_job_cancel": door(
        CASE_MANAGERS, objects="referral_import_job", out={ADMIN}, method="post", ok=REDIRECT
    ),
    # administrators, and the manager who ran the import (the world's was the system's)
    "programmes:referral_import_job_restore": door(
        {ADMIN}, objects="referral_import_job", out={ADMIN}
    ),
    "programmes:session_attendees": door(CASE_WORKERS, objects="session", out={ADMIN}),
    "programmes:session_list": with_exports(CASE_WORKERS, "csv"),
    "programmes:session_create": door(CASE_WORKERS),
    "programmes:street": door(CASE_WORKERS),
    "programmes:street_key": door(
        CASE_WORKERS, query="?device=6f1c2a4e-1b7d-4c1e-9a55-2f0d8b3c7e10"
    ),
    # a phone signed out asks whether its device was ended: 410 for one the server ended or
    # does not know, 204 for one waiting for its user to sign in; the same for everyone
    "programmes:street_device": door(
        PUBLIC, kwargs={"device": "0b8c9e2d-53a1-4f6e-8d2c-7a4b1e9f3c65"}, ok={410}
    ),
    "programmes:street_sync": door(CASE_WORKERS, method="post", ok=FORM_POSTED),
    "programmes:street_service_worker": door(PUBLIC),  # the page shell's code, nobody's data
    "programmes:street_manifest": door(PUBLIC),
    "programmes:session_detail": door(CASE_WORKERS, objects="session", out={ADMIN}),
    "programmes:session_detached_contact": door(
        CASE_WORKERS, objects="session", out={ADMIN}, method="post", ok=FORM_POSTED
    ),
    # --- programmes API ---------------------------------------------------------------
    "programmes-api:programme-list": api_list(READERS),
    "programmes-api:programme-detail": door(READERS, objects="programme"),
    "programmes-api:referral-list": api_list(CASE_WORKERS),
    "programmes-api:referral-detail": door(CASE_WORKERS, objects="referral", out={ADMIN}),
    "programmes-api:referral-identity": door(CASE_WORKERS, objects="referral", out={ADMIN}),
    "programmes-api:referral-status": door(
        CASE_WORKERS, objects="referral", out={ADMIN}, method="post", ok={200, 400}
    ),
    "programmes-api:contact-list": api_list(CASE_WORKERS),
    "programmes-api:outcome-list": api_list(CASE_WORKERS),
    "programmes-api:session-list": api_list(CASE_WORKERS),
    "programmes-api:session-detail": door(CASE_WORKERS, objects="session", out={ADMIN}),
    # corrections as on the pages: whoever may write the record (sent empty: 400, no
    # version); the history to whoever may see it
    **{
        f"programmes-api:{record}-corrections": door(
            CASE_WORKERS, objects=record, out={ADMIN}, method="post", ok={400}
        )
        for record in ("referral", "contact", "outcome", "session")
    },
    **{
        f"programmes-api:{record}-versions": door(CASE_WORKERS, objects=record, out={ADMIN})
        for record in ("referral", "contact", "outcome", "session")
    },
    # --- grants -----------------------------------------------------------------------
    "grants:round_list": with_exports(
        GRANT_STAFF | {APPLICANT}, "csv", exports_allowed=GRANT_STAFF
    ),
    "grants:round_create": door(GRANT_STAFF),
    "grants:round_detail": door(GRANT_STAFF, objects="grant_round"),
    "grants:round_assign": door(GRANT_STAFF, objects="grant_round", method="post", ok=REDIRECT),
    "grants:round_moderation": (
        door(GRANT_STAFF, objects="grant_round"),
        door(GRANT_STAFF, objects="grant_round", query="?format=csv"),
        door(GRANT_STAFF, objects="grant_round", query="?format=scores-xlsx"),
    ),
    "grants:application_start": door(
        {APPLICANT}, objects="grant_round", method="post", ok=REDIRECT
    ),
    "grants:application_list": with_exports(GRANT_STAFF | {APPLICANT}, "xlsx"),
    "grants:application_detail": door(
        GRANT_STAFF | {APPLICANT}, objects="application", out=GRANT_STAFF
    ),
    "grants:application_edit": door({APPLICANT}, objects="draft_application", out=NOBODY),
    "grants:attachment_upload": door(
        {APPLICANT}, objects="draft_application", out=NOBODY, method="post", ok=OK_OR_REDIRECT
    ),
    "grants:attachment_download": door(
        GRANT_STAFF | {APPLICANT}, objects="attachment", out=GRANT_STAFF
    ),
    "grants:application_eligibility": door(
        GRANT_STAFF, objects="application", method="post", ok=OK_OR_REDIRECT
    ),
    "grants:application_decide": door(
        GRANT_STAFF, objects="application", method="post", ok=OK_OR_REDIRECT
    ),
    "grants:decision_letter": door(
        GRANT_STAFF | {APPLICANT}, objects="decided_application", out=GRANT_STAFF
    ),
    "grants:assignment_add": door(GRANT_STAFF, objects="application", method="post", ok=REDIRECT),
    "grants:assignment_remove": door(GRANT_STAFF, objects="assignment"),
    "grants:assignment_release": door(GRANT_STAFF, objects="assignment"),
    "grants:panel": door(GRANT_STAFF),
    "grants:panel_member": door(GRANT_STAFF, objects="panel_member"),
    "grants:review_list": door({REVIEWER}),
    "grants:review": door({REVIEWER}, objects="assignment", out=NOBODY),
    # before the scores are in it sends the reviewer back to the scoring page
    "grants:review_check": door({REVIEWER}, objects="assignment", out=NOBODY, ok=OK_OR_REDIRECT),
    "grants:award_list": with_exports(GRANT_STAFF | {APPLICANT}, "csv"),
    "grants:award_360giving": (
        door(GRANT_STAFF, kwargs={"fmt": "json"}),
        door(GRANT_STAFF, kwargs={"fmt": "csv"}),
    ),
    "grants:award_detail": door(GRANT_STAFF | {APPLICANT}, objects="award", out=GRANT_STAFF),
    "grants:tranche_release": door(GRANT_STAFF, objects="tranche"),
    "grants:monitoring_return": door(
        GRANT_STAFF | {APPLICANT}, objects="monitoring_return", out=GRANT_STAFF
    ),
    "grants:organisation_list": with_exports(GRANT_STAFF, "csv", "xlsx"),
    "grants:organisation_create": door(GRANT_STAFF),
    "grants:organisation_detail": door(GRANT_STAFF, objects="grant_organisation"),
    "grants:organisation_edit": door(GRANT_STAFF, objects="grant_organisation"),
    "grants:organisation_member_remove": door(GRANT_STAFF, objects="organisation_membership"),
    # --- grants API -------------------------------------------------------------------
    "grants-api:round-list": api_list(GRANT_STAFF | {APPLICANT}),
    "grants-api:round-detail": door(GRANT_STAFF | {APPLICANT}, objects="grant_round"),
    "grants-api:application-list": api_list(GRANT_STAFF | {APPLICANT}),
    "grants-api:application-detail": door(
        GRANT_STAFF | {APPLICANT}, objects="application", out=GRANT_STAFF
    ),
    "grants-api:assignment-list": api_list({REVIEWER}),
    "grants-api:assignment-detail": door({REVIEWER}, objects="assignment", out=NOBODY),
    "grants-api:score-list": api_list(GRANT_STAFF | {REVIEWER}),
    "grants-api:score-detail": door(GRANT_STAFF | {REVIEWER}, objects="score", out=GRANT_STAFF),
    "grants-api:award-list": api_list(GRANT_STAFF | {APPLICANT}),
    "grants-api:award-detail": door(GRANT_STAFF | {APPLICANT}, objects="award", out=GRANT_STAFF),
    # --- listening projects -----------------------------------------------------------
    "evaluation:exercise_list": door(FEEDBACK_READERS | {COMMISSIONER}),
    "evaluation:exercise_create": door(EDITORS),
    "evaluation:exercise_detail": door(FEEDBACK_READERS | {COMMISSIONER}, objects="exercise"),
    "evaluation:exercise_publish": door(EDITORS, objects="exercise", method="post", ok=REDIRECT),
    "evaluation:response_list": with_exports(FEEDBACK_READERS, "csv", objects="exercise"),
    "evaluation:response_create": door(EDITORS, objects="exercise"),
    "evaluation:responses_import": door(EDITORS, objects="exercise"),
    "evaluation:responses_import_job": (
        door(EDITORS, objects="listening_import_job"),
        door(EDITORS, objects="listening_import_job", method="post", ok=REDIRECT),
    ),
    # a completed import cannot be cancelled: the page says so
    "evaluation:responses_import_job_cancel": door(
        EDITORS, objects="listening_import_job", method="post", ok=REDIRECT
    ),
    # administrators, and the analyst who ran the import (the world's was the system's)
    "evaluation:responses_import_job_restore": door({ADMIN}, objects="listening_import_job"),
    "evaluation:response_code": door(EDITORS, objects="response"),
    "evaluation:action_create": door(EDITORS, objects="exercise"),
    "evaluation:action_edit": door(EDITORS, objects="action"),
    "evaluation:you_said_we_did": door(PUBLIC, objects="public_exercise"),
    "evaluation:safeguarding_alerts": door(SAFEGUARDING),
    "evaluation:safeguarding_alert_acknowledge": door(
        SAFEGUARDING, objects="safeguarding_alert", method="post", ok=REDIRECT
    ),
    # --- evaluations, outcome measures, value for money, impact reports -----------------
    "evaluation:evaluation_list": with_exports(EVALUATION_READERS, "csv"),
    "evaluation:evaluation_create": door(EDITORS | {MANAGER, GRANTS_OFFICER}),
    "evaluation:evaluation_detail": door(EVALUATION_READERS, objects="evaluation"),
    "evaluation:evaluation_edit": door(EVALUATION_EDITORS, objects="evaluation", out=EDITORS),
    "evaluation:benefit_add": door(EVALUATION_EDITORS, objects="evaluation", out=EDITORS),
    "evaluation:benefit_remove": door(
        EVALUATION_EDITORS, objects="benefit_assumption", out=EDITORS
    ),
    "evaluation:outcome_summaries": door(OUTCOME_READERS),
    "evaluation:outcome_score_list": with_exports(CASE_WORKERS, "csv"),
    "evaluation:referral_scores": door(CASE_WORKERS, objects="scored_referral", out={ADMIN}),
    "evaluation:outcome_score_delete": door(CASE_WORKERS, objects="outcome_score", out={ADMIN}),
    "evaluation:value_for_money": door(EVALUATION_READERS),
    "evaluation:report_list": door(REPORT_READERS),
    # the Serious Violence Duty: read by staff and commissioners, kept by analysts and admins
    "duty:overview": door(READERS),
    "duty:readiness": door(READERS),
    "duty:readiness_create": door(EDITORS),
    "duty:holder_create": door(EDITORS),
    "duty:holder_change": door(EDITORS, objects="duty_holder"),
    "duty:strategy_review": door(EDITORS, objects="strategy"),
    "duty:action_plan": door(READERS | {PARTNER}),
    "duty:action_create": door(EDITORS),
    # a partner: the actions their organisation owns ("in"), not another's ("out")
    "duty:action_detail": door(READERS | {PARTNER}, objects="duty_action", out=READERS),
    "duty:area": door({PARTNER}),
    "duty:annual_report": (
        door(READERS),
        door(READERS, query="?format=pdf"),
        door(READERS, query="?format=csv", ok=OK_OR_REDIRECT),  # recent sign-in or confirm
    ),
    "duty:recommendation_delivery": door(READERS, objects="recommendation", out=EDITORS),
    "duty:carry_forward": door(EDITORS, objects="refreshed_needs_assessment"),
    "duty-api:duty-holder-list": api_list(READERS),
    "duty-api:duty-holder-detail": door(READERS, objects="duty_holder"),
    "duty-api:strategy-list": api_list(READERS),
    "duty-api:strategy-detail": door(READERS, objects="strategy"),
    "duty-api:readiness-assessment-list": api_list(READERS),
    "duty-api:readiness-assessment-detail": door(READERS, objects="readiness_assessment"),
    "duty-api:action-list": api_list(READERS | {PARTNER}),
    "duty-api:action-detail": door(READERS | {PARTNER}, objects="duty_action", out=READERS),
    # sent empty: 400 for those who may update it, 403 for readers who may not
    "duty-api:action-updates": door(
        READERS | {PARTNER},
        objects="duty_action",
        out=READERS,
        method="post",
        ok={400, 403},
    ),
    # --- information sharing: staff read the register; administrators (and the data
    # protection lead, whatever their role: tests/sharing/test_pages.py) keep it and read the
    # disclosure log
    "sharing:agreement_list": door(STAFF),
    "sharing:agreement_detail": door(STAFF, objects="sharing_agreement"),
    "sharing:agreement_create": door(SHARING_KEEPERS),
    "sharing:agreement_change": door(SHARING_KEEPERS, objects="sharing_agreement"),
    "sharing:agreement_end": door(SHARING_KEEPERS, objects="sharing_agreement"),
    "sharing:partner_token_issue": door(SHARING_KEEPERS, objects="sharing_agreement"),
    "sharing:partner_token_revoke": door(SHARING_KEEPERS, objects="partner_token"),
    "sharing:organisation_list": door(STAFF),
    "sharing:organisation_create": door(SHARING_KEEPERS),
    "sharing:organisation_change": door(SHARING_KEEPERS, objects="sharing_organisation"),
    "sharing:disclosure_log": with_exports(SHARING_KEEPERS, "csv"),
    # the choice behind a download for a partner (sharing.permissions.can_disclose)
    "sharing:partner_download": door(STAFF, query="?kind=referral&from=/programmes/caseload/"),
    "sharing-api:organisation-list": api_list(STAFF),
    "sharing-api:organisation-detail": door(STAFF, objects="sharing_organisation"),
    "sharing-api:agreement-list": api_list(STAFF),
    "sharing-api:agreement-detail": door(STAFF, objects="sharing_agreement"),
    "sharing-api:disclosure-list": api_list(SHARING_KEEPERS),
    "sharing-api:disclosure-detail": door(SHARING_KEEPERS, objects="disclosure"),
    # --- money ------------------------------------------------------------------------
    "finance:overview": with_exports(FINANCE_READERS, "csv"),
    "finance:stream_list": (
        door(FINANCE_READERS),
        door(FINANCE_KEEPERS, method="post", ok=FORM_POSTED),
    ),
    "finance:stream_detail": (
        door(FINANCE_READERS, objects="funding_stream"),
        door(FINANCE_KEEPERS, objects="funding_stream", method="post", ok=FORM_POSTED),
    ),
    # managers: the spend of the programmes they manage
    "finance:spend_record": door(FINANCE_KEEPERS | {MANAGER}),
    "finance:spend_import": door(FINANCE_KEEPERS),
    "finance:spend_import_job": (
        door(FINANCE_KEEPERS, objects="spend_import_job"),
        door(FINANCE_KEEPERS, objects="spend_import_job", method="post", ok=REDIRECT),
    ),
    "finance:spend_import_job_cancel": door(
        FINANCE_KEEPERS, objects="spend_import_job", method="post", ok=REDIRECT
    ),
    # administrators, and whoever ran the import (the world's was the system's)
    "finance:spend_import_job_restore": door({ADMIN}, objects="spend_import_job"),
    "finance:contract_list": door(CONTRACT_READERS),
    "finance:contract_detail": door(CONTRACT_READERS, objects="contract", out=FINANCE_KEEPERS),
    "finance:kpi_figure_record": door(CONTRACT_READERS, objects="contract", out=FINANCE_KEEPERS),
    # keeping providers, contracts and KPIs: those who keep funding
    "finance:provider_list": (
        door(FINANCE_KEEPERS),
        door(FINANCE_KEEPERS, method="post", ok=FORM_POSTED),
    ),
    "finance:provider_edit": door(FINANCE_KEEPERS, objects="provider"),
    "finance:provider_staff": (
        door(FINANCE_KEEPERS, objects="provider"),
        door(FINANCE_KEEPERS, objects="provider", method="post", ok=FORM_POSTED),
    ),
    "finance:provider_staff_remove": door(FINANCE_KEEPERS, objects="provider_staff"),
    "finance:contract_create": (
        door(FINANCE_KEEPERS),
        door(FINANCE_KEEPERS, method="post", ok=FORM_POSTED),
    ),
    "finance:contract_edit": door(FINANCE_KEEPERS, objects="contract"),
    "finance:kpi_create": door(FINANCE_KEEPERS, objects="contract"),
    "finance:kpi_edit": door(FINANCE_KEEPERS, objects="kpi"),
    "finance:kpi_delete": (
        door(FINANCE_KEEPERS, objects="kpi"),
        door(FINANCE_KEEPERS, objects="kpi", method="post", ok=REDIRECT),
    ),
    "finance-api:contract-list": api_list(CONTRACT_READERS),
    "finance-api:contract-detail": door(CONTRACT_READERS, objects="contract", out=FINANCE_KEEPERS),
    "finance-api:kpi-figure-list": api_list(CONTRACT_READERS),
    "finance-api:kpi-figure-detail": door(
        CONTRACT_READERS, objects="kpi_figure", out=FINANCE_KEEPERS
    ),
    "finance:return_list": (
        door(RETURN_READERS),
        door(FINANCE_KEEPERS, method="post", ok=FORM_POSTED),
    ),
    "finance:return_detail": door(RETURN_READERS, objects="quarterly_return"),
    "finance:return_refresh": door(
        FINANCE_KEEPERS, objects="quarterly_return", method="post", ok=REDIRECT
    ),
    "finance:return_review": door(
        FINANCE_KEEPERS, objects="quarterly_return", method="post", ok=REDIRECT
    ),
    "finance:return_lock": door(
        FINANCE_KEEPERS, objects="quarterly_return", method="post", ok=REDIRECT
    ),
    "finance:return_correct": door(
        FINANCE_KEEPERS, objects="quarterly_return", method="post", ok=REDIRECT
    ),
    "finance:return_export": (
        door(RETURN_READERS, objects="quarterly_return", query="?format=csv"),
        door(RETURN_READERS, objects="quarterly_return", query="?format=xlsx&external=1"),
    ),
    # the records behind a programme's figure: true counts and every case of the programme
    "finance:return_records": door({ADMIN}, objects="return_cell"),
    # fair reach: the quarterly return's readers (commissioners through the disclosure
    # control); its population is area data, imported by administrators and analysts
    "finance:fair_reach": with_exports(RETURN_READERS, "csv"),
    "finance-api:fair-reach": api_list(RETURN_READERS),
    "finance:population_import": door(EDITORS),
    "finance:population_import_job": (
        door(EDITORS, objects="population_import_job"),
        door(EDITORS, objects="population_import_job", method="post", ok=REDIRECT),
    ),
    "finance:population_import_job_cancel": door(
        EDITORS, objects="population_import_job", method="post", ok=REDIRECT
    ),
    # administrators, and whoever ran the import (the world's was the system's)
    "finance:population_import_job_restore": door({ADMIN}, objects="population_import_job"),
    "finance-api:quarterly-return-list": api_list(RETURN_READERS),
    "finance-api:quarterly-return-detail": door(RETURN_READERS, objects="quarterly_return"),
    "finance-api:funding-stream-list": api_list(FINANCE_READERS),
    "finance-api:funding-stream-detail": door(FINANCE_READERS, objects="funding_stream"),
    "finance-api:quarterly-spend-list": api_list(FINANCE_READERS),
    "finance-api:quarterly-spend-detail": door(FINANCE_READERS, objects="quarterly_spend"),
    "evaluation:report_request": door(REPORT_READERS),
    "evaluation:report_detail": with_exports(
        REPORT_READERS, "csv", "xlsx", objects="impact_report"
    ),
    "evaluation:report_pdf": door(REPORT_READERS, objects="impact_report"),
    "evaluation:report_request_again": door(
        REPORT_READERS, objects="impact_report", method="post", ok=REDIRECT
    ),
    # --- evaluation API ---------------------------------------------------------------
    "evaluation-api:evaluation-list": api_list(EVALUATION_READERS),
    "evaluation-api:evaluation-detail": door(EVALUATION_READERS, objects="evaluation"),
    "evaluation-api:outcome-summary-list": api_list(OUTCOME_READERS),
    "evaluation-api:cost-benefit-list": api_list(EVALUATION_READERS),
    # --- young people's rights ----------------------------------------------------------
    "rights:request_list": door(DATA_PROTECTION),
    "rights:request_create": door(DATA_PROTECTION),
    "rights:request_detail": door(DATA_PROTECTION, objects="subject_access_request"),
    "rights:request_extend": door(DATA_PROTECTION, objects="subject_access_request"),
    "rights:request_finish": door(DATA_PROTECTION, objects="subject_access_request"),
    "rights:request_gather": door(
        DATA_PROTECTION, objects="subject_access_request", method="post", ok=REDIRECT
    ),
    # the world's request is not stalled: the page says gathering again is not offered yet
    "rights:request_gather_again": door(
        DATA_PROTECTION, objects="subject_access_request", method="post", ok=REDIRECT
    ),
    # an access request is not an erasure: the page says so
    "rights:erasure_decide": door(
        DATA_PROTECTION, objects="subject_access_request", method="post", ok=REDIRECT
    ),
    "rights:request_review": door(DATA_PROTECTION, objects="subject_access_request"),
    "rights:item_redact": door(DATA_PROTECTION, objects="gathered_item"),
    # the world's request is not in review: the page says a redaction cannot change now
    "rights:redaction_remove": door(
        DATA_PROTECTION, objects="redaction", method="post", ok=REDIRECT
    ),
    # the tests switch re-authentication off: the page asking to confirm the download
    "rights:bundle_download": door(DATA_PROTECTION, objects="subject_access_request"),
    "rights:privacy": door(PUBLIC),
    "rights:privacy_notice": door(PUBLIC, kwargs={"audience": "young-people"}),
    "rights-api:subject-access-request-list": api_list(DATA_PROTECTION),
    "rights-api:subject-access-request-detail": door(
        DATA_PROTECTION, objects="subject_access_request"
    ),
    "rights-api:subject-access-request-extend": door(
        DATA_PROTECTION, objects="subject_access_request", method="post", ok=FORM_POSTED
    ),
    "rights-api:subject-access-request-gather": door(
        DATA_PROTECTION, objects="subject_access_request", method="post", ok=FORM_POSTED
    ),
}

# Doors that end the session: the user is signed in again after each.
SIGNS_OUT = frozenset({"logout", "account_logout"})

# The admin site, listed apart: its index is open to the roles with is_staff (and sends
# everyone else to the admin's own sign-in page); each model admin has its own tests.
ADMIN_SITE = door(EDITORS)


def doors(name: str) -> tuple[Door, ...]:
    entry = ROUTES[name]
    return entry if isinstance(entry, tuple) else (entry,)
