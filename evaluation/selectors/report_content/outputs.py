"""Headline outputs in the style of the Essex SNA, each with the table behind it."""

from collections import defaultdict
from decimal import Decimal

from django.db.models import (
    Count,
    IntegerField,
    Sum,
    Value,
)
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Coalesce

from evaluation.selectors.report_content.scope import (
    ReportScope,
    programme_names,
    table_block,
)
from programmes.models import Outcome, Session
from vru.age_bands import AgeBand
from vru.selectors import disclosure

# The tables behind the headline figures, by id (the web page links each figure to its table).
TABLE_CAPTIONS = {
    "table-referrals": "Referrals received, by programme",
    "table-compliance": "Referrals contacted within the target time, by programme "
    "(referrals whose clock has a result)",
    "table-referral-outcomes": "Outcomes achieved in the period, by programme",
    "table-sessions": "Young people counted at sessions, by programme (anonymous counts; a "
    "young person at two sessions is counted twice)",
    "table-grants": "Young people reached through community grants, by group (from "
    "monitoring returns approved in the period)",
}

# Where each headline figure comes from: (key, what it counts, the records and the rule,
# the id of the table in the report it is computed from). The web page links each figure to
# its table; "About these figures" (voice.build_method) lists them, in the PDF too.
HEADLINE_SOURCES = [
    (
        "grant_reach",
        "Children and young people supported through grants",
        "Community grant monitoring returns approved in the period: the young people each "
        "group reported reaching, added up by group.",
        "table-grants",
    ),
    (
        "detached",
        "Young people engaged by detached youth work",
        "Detached youth work sessions held in the period: the anonymous head counts "
        "recorded at each session (a young person met twice is counted twice).",
        "table-sessions",
    ),
    (
        "group_work",
        "Young people in group sessions",
        "Group sessions held in the period: the head counts recorded at each session.",
        "table-sessions",
    ),
    (
        "referrals",
        "Referrals received",
        "Referral records with a referral date in the period (a young person referred "
        "twice counts twice).",
        "table-referrals",
    ),
    (
        "compliance",
        "Referrals contacted within the target time",
        "The same referral records: those whose first contact was within the programme's "
        "target time, of those whose clock has a result (contacted, or past the target).",
        "table-compliance",
    ),
    (
        "diverted",
        "Young people diverted away from arrest",
        "Outcome records of the kind “diverted from arrest” achieved in the period, one per "
        "referral.",
        "table-referral-outcomes",
    ),
    (
        "eet",
        "Young people back into education, training or employment",
        "Outcome records of the kind “education, training or employment” achieved in the "
        "period, one per referral.",
        "table-referral-outcomes",
    ),
]


def build_headlines(scope: ReportScope) -> dict:
    """The outputs in the style of the Essex SNA, each linked to the table behind it."""
    names = programme_names(scope)
    groups = scope.referral_groups()
    by_programme: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in groups:
        for key in ("n", "met", "breached"):
            by_programme[row["programme_id"]][key] += row[key]
    programme_ids = sorted(by_programme, key=lambda pk: names.get(pk, ""))
    referrals = sum(row["n"] for row in groups)
    met = sum(row["met"] for row in groups)
    breached = sum(row["breached"] for row in groups)
    decided = met + breached

    outcome_rows = (
        scope.outcomes()
        .filter(kind__in=[Outcome.Kind.DIVERTED, Outcome.Kind.EET])
        .order_by()
        .values("referral__programme_id", "kind")
        .annotate(n=disclosure.people("outcome"))
    )
    outcomes: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in outcome_rows:
        outcomes[row["referral__programme_id"]][row["kind"]] = row["n"]
    diverted = sum(v[Outcome.Kind.DIVERTED] for v in outcomes.values())
    eet = sum(v[Outcome.Kind.EET] for v in outcomes.values())

    session_rows = (
        scope.session_counts()
        .order_by()
        .values("session__programme_id", "session__kind")
        .annotate(n=disclosure.people("session_count", count="count"))
    )
    sessions: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in session_rows:
        sessions[row["session__programme_id"]][row["session__kind"]] = row["n"] or 0
    detached = sum(v[Session.Kind.DETACHED] for v in sessions.values())
    group_work = sum(v[Session.Kind.GROUP] for v in sessions.values())

    grants = grant_reach_by_organisation(scope)
    grant_people = sum(row["reached"] for row in grants)
    groups_funded = len({row["organisation"] for row in grants if row["awards"]})

    compliance_value = disclosure.shown_percent(met, decided)
    compliance_shown = "–" if compliance_value is None else f"{compliance_value}%"

    def item(key: str, value: int, text: str, link: str, *, shown: str | None = None) -> dict:
        figure = shown if shown is not None else scope.shown(value)
        return {
            "key": key,
            "figure": figure,
            "text": text,
            "value": value if figure == f"{value:,}" else None,
            "link": f"#{link}",
        }

    items = []
    if scope.includes_grants:
        items.append(
            item(
                "grant_reach",
                grant_people,
                f"children and young people supported through grants to {groups_funded:,} "
                f"community group{'s' if groups_funded != 1 else ''}",
                "table-grants",
            )
        )
    items += [
        item(
            "detached",
            detached,
            "young people engaged by detached youth work in the places they choose to "
            "spend time (parks, streets)",
            "table-sessions",
        ),
        item(
            "group_work",
            group_work,
            "young people took part in group sessions (sport, mentoring, group work)",
            "table-sessions",
        ),
        item("referrals", referrals, "referrals of young people received", "table-referrals"),
        {
            "key": "compliance",
            "figure": compliance_shown,
            "text": "of referrals contacted within the target time (usually 24 hours)",
            "value": compliance_value,
            "link": "#table-compliance",
        },
        item(
            "diverted",
            diverted,
            "young people diverted away from arrest",
            "table-referral-outcomes",
        ),
        item(
            "eet",
            eet,
            "young people supported back into education, training or employment",
            "table-referral-outcomes",
        ),
    ]

    blocks: list[dict] = [{"type": "headlines", "items": items}]
    labels = [names.get(pk, "Programme") for pk in programme_ids]
    blocks.append(
        table_block(
            id="table-referrals",
            caption=TABLE_CAPTIONS["table-referrals"],
            row_labels=labels,
            headers=["Programme", "Referrals"],
            counts=[[by_programme[pk]["n"]] for pk in programme_ids],
            row_totals=False,
        )
    )
    blocks.append(
        table_block(
            id="table-compliance",
            caption=TABLE_CAPTIONS["table-compliance"],
            row_labels=labels,
            headers=["Programme", "Within target", "Late or not contacted"],
            counts=[
                [by_programme[pk]["met"], by_programme[pk]["breached"]] for pk in programme_ids
            ],
        )
    )
    # "met of decided" as the compliance table publishes them: its totals row may hide the
    # met total beside a small breached total, and the headline must not show it either
    _, met_shown, _, decided_shown = blocks[-1]["foot"]
    compliance = next(i for i in items if i["key"] == "compliance")
    compliance["text"] += f"; {met_shown} of {decided_shown} with a result"
    outcome_ids = sorted(outcomes, key=lambda pk: names.get(pk, ""))
    blocks.append(
        table_block(
            id="table-referral-outcomes",
            caption=TABLE_CAPTIONS["table-referral-outcomes"],
            row_labels=[names.get(pk, "Programme") for pk in outcome_ids],
            headers=["Programme", "Diverted from arrest", "Education, training or employment"],
            counts=[
                [outcomes[pk][Outcome.Kind.DIVERTED], outcomes[pk][Outcome.Kind.EET]]
                for pk in outcome_ids
            ],
            row_totals=False,
        )
    )
    session_ids = sorted(sessions, key=lambda pk: names.get(pk, ""))
    blocks.append(
        table_block(
            id="table-sessions",
            caption=TABLE_CAPTIONS["table-sessions"],
            row_labels=[names.get(pk, "Programme") for pk in session_ids],
            headers=["Programme", "Detached youth work", "Group sessions"],
            counts=[
                [sessions[pk][Session.Kind.DETACHED], sessions[pk][Session.Kind.GROUP]]
                for pk in session_ids
            ],
            row_totals=False,
        )
    )
    if scope.includes_grants:
        blocks.append(
            table_block(
                id="table-grants",
                caption=TABLE_CAPTIONS["table-grants"],
                row_labels=[row["organisation"] for row in grants],
                headers=["Community group", "Young people reached"],
                counts=[[row["reached"]] for row in grants],
                row_totals=False,
            )
        )
    else:
        blocks.append(
            {
                "type": "paragraph",
                "text": "Community grants are not part of a single programme's report.",
            }
        )
    return {"key": "headlines", "title": "Headline outputs", "blocks": blocks}


def grant_reach_by_organisation(scope: ReportScope) -> list[dict]:
    """Per community group: awards running in the period, spend awarded, and young people
    reached (the age-band counts of returns approved in the period, summed in the database)."""
    if not scope.includes_grants:
        return []
    reach_expr = sum(
        (
            Coalesce(
                Cast(KeyTextTransform(band, "young_people_by_age_band"), IntegerField()),
                Value(0),
            )
            for band in AgeBand.values
        ),
        start=Value(0),
    )
    reached = dict(
        scope.approved_returns()
        .order_by()
        .values_list("award__decision__application__organisation__name")
        .annotate(n=disclosure.people("monitoring_return", count=reach_expr))
    )
    awarded = {
        name: (n, amount)
        for name, n, amount in scope.awards()
        .order_by()
        .values_list("decision__application__organisation__name")
        .annotate(n=Count("pk"), amount=Sum("amount"))
    }
    rows = []
    for name in sorted(set(reached) | set(awarded)):
        n, amount = awarded.get(name, (0, Decimal(0)))
        rows.append(
            {"organisation": name, "reached": reached.get(name) or 0, "awards": n, "spend": amount}
        )
    return rows
