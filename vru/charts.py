"""Bar charts drawn on the server: the geometry of each bar from figures already through
the disclosure control. A hidden figure ("<5", "[c]") has no bar, only its label; every
chart is followed by the table of its figures (templates/partials/bar_chart.html), and no
script or style attribute is needed, so the Content Security Policy stays strict."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Bar:
    label: str
    shown: str  # the figure as published: "12", "<5", "[c]", "–", "83%"
    value: float | None  # None: hidden or unknown, drawn as a gap
    width: float  # 0 to 100, the share of the longest bar


@dataclass(frozen=True)
class BarChart:
    id: str
    caption: str
    key: str  # heading of the labels' column in the table, e.g. "Month"
    unit: str  # heading of the figures' column in the table, e.g. "Referrals"
    bars: list[Bar]

    @property
    def empty(self) -> bool:
        return not any(bar.value for bar in self.bars)


def bar_chart(
    *,
    id: str,
    caption: str,
    key: str,
    unit: str,
    rows: list[tuple[str, str, float | None]],
    scale_to: float | None = None,
) -> BarChart:
    """A chart of (label, shown, value) rows; bars are scaled to the largest value (or to
    ``scale_to``, e.g. 100 for percentages)."""
    values = [value for _, _, value in rows if value is not None]
    longest = scale_to or max(values, default=0) or 1
    bars = [
        Bar(
            label=label,
            shown=shown,
            value=value,
            width=0 if value is None else round(100 * min(value, longest) / longest, 1),
        )
        for label, shown, value in rows
    ]
    return BarChart(id=id, caption=caption, key=key, unit=unit, bars=bars)


def published_value(count: int, shown: str) -> int | None:
    """The number a bar may be drawn for: the count when it is shown as itself, None when
    the disclosure control hid it ("<5", "[c]")."""
    return count if shown == f"{count:,}" else None
