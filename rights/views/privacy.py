"""Privacy notices, one per audience, drawn from the register of kinds of personal data
(vru.data_kinds.RULES): the words cannot drift from the rules the retention task applies.
Public pages: anyone may read how their data is used before signing in."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from vru import data_kinds

# audience -> (title, the kinds it covers, how each kind is described to it)
AUDIENCES = {
    "young-people": (
        "How we use your information",
        [k for k, rule in data_kinds.RULES.items() if rule.young_people],
        "young_people",
    ),
    "staff": (
        "Privacy notice for staff and partners",
        list(data_kinds.RULES),
        "staff",
    ),
    "applicants": (
        "Privacy notice for grant applicants",
        [data_kinds.DataKind.APPLICANT, data_kinds.DataKind.SIGN_IN],
        "staff",
    ),
}


def notice_rows(audience: str) -> list[dict]:
    _title, kinds, words = AUDIENCES[audience]
    rows = []
    for kind in kinds:
        rule = data_kinds.rule_for(kind)
        rows.append(
            {
                "kind": rule.kind.label,
                "what": getattr(rule, words),
                "lawful_basis": rule.lawful_basis,
                "condition": rule.condition,
                "months": data_kinds.retention_months(kind),
                "years": data_kinds.retention_months(kind) // 12,
                "from": rule.retention_from,
            }
        )
    return rows


@login_not_required
@require_GET
def privacy_index(request):
    return render(
        request,
        "rights/privacy_index.html",
        {"audiences": [(slug, title) for slug, (title, _k, _w) in AUDIENCES.items()]},
    )


@login_not_required
@require_GET
def privacy_notice(request, audience: str):
    if audience not in AUDIENCES:
        raise Http404
    return render(
        request,
        "rights/privacy_notice.html",
        {
            "audience": audience,
            "title": AUDIENCES[audience][0],
            "rows": notice_rows(audience),
            "plain": audience == "young-people",
            # working copies, deleted sooner than any kind (their settings, not the register)
            "copy_days": settings.VRU_SAR_COPY_DAYS,
            "import_days": settings.VRU_IMPORT_DETAILS_DAYS,
            "staff": audience == "staff",
        },
    )
