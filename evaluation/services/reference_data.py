"""Reference data every installation has: the Home Office unit costs of crime and the
standard outcome instruments (with their scoring and documented meaningful change). Stored as
rows (editable in the admin by superusers; partnerships add their own) by the migration."""

HOME_OFFICE = (
    "Heeks, Reed, Tafsiri and Prince (2018), The economic and social costs of crime, "
    "2nd edition, Home Office Research Report 99: cost per offence (anticipation, "
    "consequence and response costs together)"
)
# Checked against the report's unit-cost table (2015/16 prices).
UNIT_COSTS = [
    ("Homicide", "3217740.00"),
    ("Violence with injury", "14050.00"),
    ("Violence without injury", "5930.00"),
    ("Robbery (personal)", "11320.00"),
]
INSTRUMENTS = [
    {
        "code": "wemwbs",
        "name": "Warwick-Edinburgh Mental Wellbeing Scale (WEMWBS)",
        "item_count": 14,
        "item_min": 1,
        "item_max": 5,
        "reverse_items": [],
        "min_total": 14,
        "max_total": 70,
        "higher_is_better": True,
        "meaningful_change": "3",
        "meaningful_change_source": "Warwick Medical School guidance: a change of 3 points or "
        "more is meaningful for an individual (Maheswaran et al. 2012).",
        "description": "14 positively worded statements about the last two weeks, each scored "
        "1 (none of the time) to 5 (all of the time); total 14 to 70, higher is better.",
    },
    {
        "code": "swemwbs",
        "name": "Short Warwick-Edinburgh Mental Wellbeing Scale (SWEMWBS)",
        "item_count": 7,
        "item_min": 1,
        "item_max": 5,
        "reverse_items": [],
        "min_total": 7,
        "max_total": 35,
        "higher_is_better": True,
        "meaningful_change": "2",
        "meaningful_change_source": "Assumption: the middle of the 1 to 3 point minimal "
        "important difference reported by Shah et al. (2018); applied to the raw total "
        "(not converted to metric scores). Agree it with your evaluator.",
        "description": "7 of the WEMWBS statements, each scored 1 to 5; raw total 7 to 35, "
        "higher is better.",
    },
    {
        "code": "sdq-total",
        "name": "Strengths and Difficulties Questionnaire: total difficulties (SDQ)",
        "item_count": 20,
        "item_min": 0,
        "item_max": 2,
        "reverse_items": [5, 8, 11, 16, 20],
        "min_total": 0,
        "max_total": 40,
        "higher_is_better": False,
        "meaningful_change": "3",
        "meaningful_change_source": "Assumption: half the standard deviation of the self-report "
        "total difficulties score in British norms (about 5.2 at 11 to 15, Meltzer et al. "
        "2000), following Norman et al. (2003). Agree it with your evaluator.",
        "description": "The 20 items of the emotional, conduct, hyperactivity and peer scales, "
        "in questionnaire order with the five prosocial items (1, 4, 9, 17, 20) left out; each "
        "scored 0 (not true), 1 (somewhat true), 2 (certainly true), the five positively worded "
        "items reversed (questionnaire items 7, 11, 14, 21, 25); total 0 to 40, lower is better.",
    },
]


def ensure_reference_data(*, unit_cost_model=None, instrument_model=None) -> None:
    """Create the national unit costs and standard instruments if missing (idempotent; the
    migration calls it with its historical models, tests and the demo with the real ones)."""
    if unit_cost_model is None or instrument_model is None:
        from evaluation.models import Instrument, UnitCost

        unit_cost_model, instrument_model = UnitCost, Instrument
    for offence, amount in UNIT_COSTS:
        unit_cost_model.objects.get_or_create(
            partnership=None,
            offence=offence,
            price_year="2015/16",
            defaults={"amount": amount, "source": HOME_OFFICE},
        )
    for spec in INSTRUMENTS:
        spec = dict(spec)
        instrument_model.objects.get_or_create(
            partnership=None, code=spec.pop("code"), defaults=spec
        )
