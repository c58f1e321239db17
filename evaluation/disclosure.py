"""Statistical disclosure control for counts of people shown outside the team that holds
the records (commissioners, the public): counts from 1 to 4 are shown as "<5"."""

from django.conf import settings

from evaluation.suppression import is_small


def is_hidden(count: int, *, suppress: bool) -> bool:
    """Whether a count of people (and every figure that would reveal it) is withheld."""
    return suppress and is_small(count, settings.VRU_SMALL_NUMBER_THRESHOLD)


def shown_count(count: int, *, suppress: bool) -> str:
    if is_hidden(count, suppress=suppress):
        return f"<{settings.VRU_SMALL_NUMBER_THRESHOLD}"
    return f"{count:,}"
