"""The preset periods pages offer: this quarter, last quarter, this financial year (UK, from
1 April). Each is a whole period, so it is open to commissioners too."""

import datetime

import pytest

from vru import periods

D = datetime.date


@pytest.mark.parametrize(
    ("today", "preset", "expected"),
    [
        (D(2027, 2, 15), "this_quarter", (D(2027, 1, 1), D(2027, 3, 31))),
        (D(2027, 2, 15), "last_quarter", (D(2026, 10, 1), D(2026, 12, 31))),
        (D(2027, 2, 15), "this_financial_year", (D(2026, 4, 1), D(2027, 3, 31))),
        (D(2027, 2, 15), "last_financial_year", (D(2025, 4, 1), D(2026, 3, 31))),
        (D(2026, 4, 1), "this_financial_year", (D(2026, 4, 1), D(2027, 3, 31))),
        (D(2026, 3, 31), "this_financial_year", (D(2025, 4, 1), D(2026, 3, 31))),
        (D(2026, 1, 1), "last_quarter", (D(2025, 10, 1), D(2025, 12, 31))),
        (D(2026, 6, 30), "this_quarter", (D(2026, 4, 1), D(2026, 6, 30))),
    ],
)
def test_each_preset_covers_the_period_it_names(today, preset, expected):
    assert periods.preset_dates(preset, today=today) == expected


def test_every_preset_is_a_whole_period_a_commissioner_may_choose():
    for preset in periods.presets(today=D(2026, 12, 6)):
        assert periods.whole_period_error(preset["start"], preset["end"], whole_only=True) is None
