"""Statistical disclosure control for counts of people shown outside the team that holds
the records (commissioners, the public): counts from 1 to 4 are shown as "<5"."""

from django.conf import settings


def shown_count(count: int, *, suppress: bool) -> str:
    threshold = settings.VRU_SMALL_NUMBER_THRESHOLD
    if suppress and 0 < count < threshold:
        return f"<{threshold}"
    return f"{count:,}"
