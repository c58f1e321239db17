"""The money demo gives each partnership funding streams, allocations and quarterly spend for
two financial years, labelled synthetic, and loading it twice changes nothing."""

import pytest

from finance import demo
from finance.models import (
    Allocation,
    Contract,
    FundingStream,
    KPIFigure,
    QuarterlyReturn,
    QuarterlySpend,
)
from tests.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db


def test_the_money_demo_holds_two_years_of_funding_and_spend_and_loads_once(partnership):
    ProgrammeFactory(partnership=partnership, name="ReRoute")
    ProgrammeFactory(partnership=partnership, name="Detached youth work")

    demo.load_demo()
    counts = (
        FundingStream.objects.count(),
        Allocation.objects.count(),
        QuarterlySpend.objects.count(),
    )
    demo.load_demo()

    assert counts == (4, 4, 16)  # 2 streams x 2 years; 2 programmes x 2 years (x 4 quarters)
    assert (
        FundingStream.objects.count(),
        Allocation.objects.count(),
        QuarterlySpend.objects.count(),
    ) == counts
    assert len(set(FundingStream.objects.values_list("financial_year", flat=True))) == 2
    assert all(demo.SYNTHETIC in s.note for s in QuarterlySpend.objects.all())
    [locked] = QuarterlyReturn.objects.all()
    assert (locked.quarter, locked.status) == (4, "locked")
    assert {row["intervention"] for row in locked.rows} == {"ReRoute", "Detached youth work"}
    assert Contract.objects.count() == 2  # one per programme, up to three
    assert KPIFigure.objects.count() == 2 * 2 * 8  # 2 contracts x 2 KPIs x 8 quarters
