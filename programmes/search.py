"""The caseload's search box: one text, read as a date of birth, a part of a reference or
words of a name.

- A date ("14/03/2009", "14 3 2009", "14 March 2009", "2009-03-14") finds the young people
  born that day.
- Otherwise the text finds the references that contain it ("5FF93082" finds
  YP-5FF93082, whatever the case), or, if it has a word of letters only (and does not start
  as references do, "YP-"), the young people with every one of its words in their names
  ("Jay" finds Jay Smith; whole words only: "Ja" does not).

Names and dates of birth are encrypted; they are matched through their keyed hashes
(programmes.models.SearchToken), so neither the typed text nor the name is ever compared in
the database. A search that reads them is recorded in the audit trail as an identity read
(services.identity_search_record)."""

import calendar
import re
from dataclasses import dataclass
from datetime import date

from django.db.models import Q

from programmes.models import SearchToken
from vru.blind_index import name_words, search_token

_MONTHS = {name.lower()[:3]: number for number, name in enumerate(calendar.month_name) if number}
_DATE_PARTS = re.compile(r"[\s/.\-]+")
_NAME_WORD = re.compile(r"[a-z]+")
REFERENCE_PREFIX = "YP-"  # every reference's (services.referrals.reference_for): not a name


@dataclass(frozen=True)
class Search:
    reference: str  # upper-cased, matched as a part of the reference
    names: tuple[str, ...]  # normalised words, each matched whole
    born: date | None

    @property
    def reads_identity(self) -> bool:
        return bool(self.names) or self.born is not None

    @property
    def identity_read_by(self) -> str:
        """What of the identity the search reads, for the audit trail ("" for none)."""
        if self.born is not None:
            return "date of birth"
        return "name" if self.names else ""


def parse_date(text: str) -> date | None:
    """A date as people type one: day month year (digits or the month's name or its first
    three letters, separated by spaces, slashes, dots or dashes), or year-month-day."""
    parts = [p for p in _DATE_PARTS.split(text.strip().lower()) if p]
    if len(parts) != 3:
        return None
    if len(parts[0]) == 4 and parts[0].isdigit():
        year, month, day = parts
    else:
        day, month, year = parts
    month_number = int(month) if month.isdigit() else _MONTHS.get(month[:3])
    if not (day.isdigit() and year.isdigit() and len(year) == 4 and month_number):
        return None
    try:
        return date(int(year), month_number, int(day))
    except ValueError:
        return None


def parse_search(text: str | None) -> Search:
    text = (text or "").strip()
    born = parse_date(text) if text else None
    if born is not None:
        return Search(reference="", names=(), born=born)
    words = name_words(text)
    # a name has a word of letters only ("Jay", "Demo-00042"); "5FF93082" has none
    looks_like_name = not text.upper().startswith(REFERENCE_PREFIX) and any(
        _NAME_WORD.fullmatch(w) for w in words
    )
    names = tuple(words) if words and looks_like_name else ()
    return Search(reference=text.upper(), names=names, born=None)


def _people_with(token: str) -> Q:
    return Q(young_person_id__in=SearchToken.objects.filter(token=token).values("young_person_id"))


def search_q(search: Search) -> Q:
    """Which referrals (their young people) the search finds."""
    if search.born is not None:
        return _people_with(search_token("born", search.born))
    found = Q(young_person__reference__contains=search.reference) if search.reference else Q()
    if search.names:
        every_word = Q()
        for word in search.names:
            every_word &= _people_with(search_token("name", word))
        found = found | every_word if search.reference else every_word
    return found
