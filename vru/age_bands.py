"""Age bands: the one vocabulary every app and report uses.

Young people are counted in two sets of bands:

- `AgeBand`, the reach bands: under 10, 10 to 13, 14 to 17, 18 to 24, 25 and over. Staff
  count young people in them on group and detached sessions and detached contacts
  (programmes), a funded group reports the young people it reached in them on a monitoring
  return (grants), and the impact report puts each referral's age at referral in them
  (`band_of` in Python, `band_expression` in the database). Reach is only ever added up in
  these bands.
- `ListeningAgeBand`, the bands a young person ticks when answering a listening exercise
  (evaluation): under 11, 11 to 13, 14 to 15, 16 to 17, 18 to 21, 22 to 25, or not known.
  They are finer, and two of them cross an edge of the reach bands.

The listening bands map to the reach bands as follows (`LISTENING_TO_REACH`, worked out
from the ages each band holds, `LISTENING_AGES` and `AGES`):

    under 11   ->  none: it holds 10, which is in 10 to 13, and the under 10s
    11 to 13   ->  10 to 13
    14 to 15   ->  14 to 17
    16 to 17   ->  14 to 17
    18 to 21   ->  18 to 24
    22 to 25   ->  none: it holds 25, which is in 25 and over, and 22 to 24
    not known  ->  none

Because two bands have no single reach band, listening responses are never added to reach;
a listening exercise's page counts them in their own bands. The stored values are those the
sessions and responses have always held ("u10", "under_11"); grant returns, which called the
youngest band "under 10" and had no 25 and over, moved to these (grants migration 0007).
"""

from django.db import models
from django.db.models import Case, Q, Value, When


class AgeBand(models.TextChoices):
    """The reach bands (sessions, detached contacts, grant returns, impact reports)."""

    UNDER_10 = "u10", "Under 10"
    AGE_10_13 = "10-13", "10 to 13"
    AGE_14_17 = "14-17", "14 to 17"
    AGE_18_24 = "18-24", "18 to 24"
    OVER_24 = "25+", "25 and over"


# The ages each reach band holds, youngest and oldest (None: no edge on that side).
AGES: dict[str, tuple[int | None, int | None]] = {
    AgeBand.UNDER_10: (None, 9),
    AgeBand.AGE_10_13: (10, 13),
    AgeBand.AGE_14_17: (14, 17),
    AgeBand.AGE_18_24: (18, 24),
    AgeBand.OVER_24: (25, None),
}

# The band of an age that was not recorded (a referral without a date of birth).
AGE_NOT_KNOWN = ("not_known", "Age not recorded")


class ListeningAgeBand(models.TextChoices):
    """The bands a young person ticks in a listening exercise (finer; see the module)."""

    UNDER_11 = "under_11", "Under 11"
    AGE_11_13 = "11_13", "11 to 13"
    AGE_14_15 = "14_15", "14 to 15"
    AGE_16_17 = "16_17", "16 to 17"
    AGE_18_21 = "18_21", "18 to 21"
    AGE_22_25 = "22_25", "22 to 25"
    NOT_KNOWN = "not_known", "Not known"


LISTENING_AGES: dict[str, tuple[int | None, int | None]] = {
    ListeningAgeBand.UNDER_11: (None, 10),
    ListeningAgeBand.AGE_11_13: (11, 13),
    ListeningAgeBand.AGE_14_15: (14, 15),
    ListeningAgeBand.AGE_16_17: (16, 17),
    ListeningAgeBand.AGE_18_21: (18, 21),
    ListeningAgeBand.AGE_22_25: (22, 25),
}


def band_of(age: int | None) -> str | None:
    """The reach band of an age, or None when the age is not known."""
    if age is None:
        return None
    for band, (youngest, oldest) in AGES.items():
        if (youngest is None or age >= youngest) and (oldest is None or age <= oldest):
            return str(band)
    return None  # a negative age: no band


def band_expression(field_name: str) -> Case:
    """The reach band of an age column, as SQL (CASE ... WHEN), AGE_NOT_KNOWN's value when
    the age is missing: the same edges as `band_of`."""
    whens = []
    for band, (youngest, oldest) in AGES.items():
        bounds = {}
        if youngest is not None:
            bounds[f"{field_name}__gte"] = youngest
        if oldest is not None:
            bounds[f"{field_name}__lte"] = oldest
        whens.append(When(Q(**bounds), then=Value(str(band))))
    return Case(*whens, default=Value(AGE_NOT_KNOWN[0]))


def _contains(outer: tuple[int | None, int | None], inner: tuple[int | None, int | None]) -> bool:
    low_out, high_out = outer
    low_in, high_in = inner
    low_ok = low_out is None or (low_in is not None and low_in >= low_out)
    high_ok = high_out is None or (high_in is not None and high_in <= high_out)
    return low_ok and high_ok


def _reach_band_holding(ages: tuple[int | None, int | None] | None) -> str | None:
    if ages is None:
        return None
    for band, reach_ages in AGES.items():
        if _contains(reach_ages, ages):
            return str(band)
    return None


# Each listening band's reach band, or None when its ages are not all in one reach band.
LISTENING_TO_REACH: dict[str, str | None] = {
    str(band): _reach_band_holding(LISTENING_AGES.get(band)) for band in ListeningAgeBand
}


def reach_band_of_listening(band: str) -> str | None:
    """The reach band holding every age of a listening band, or None (see the module)."""
    return LISTENING_TO_REACH.get(band)


def label(band: str) -> str:
    """The label of a reach or listening band's stored value (the value itself if unknown)."""
    labels = dict(AgeBand.choices) | dict(ListeningAgeBand.choices)
    return labels.get(band, band)
