"""The Youth Endowment Fund toolkit approaches (data/yef_toolkit.csv, see ATTRIBUTION.md)."""

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

CSV_PATH = Path(__file__).resolve().parent / "data" / "yef_toolkit.csv"


@dataclass(frozen=True)
class Approach:
    name: str
    impact: str
    evidence: str
    source_url: str

    @property
    def impact_band(self) -> str:
        return self.impact.split("(")[0].split(";")[0].strip() or "Not published"

    @property
    def is_harmful(self) -> bool:
        return self.impact.lower().startswith("harmful")


@cache
def approaches() -> dict[str, Approach]:
    with CSV_PATH.open(encoding="utf-8") as f:
        return {
            row["approach"]: Approach(
                row["approach"],
                row["impact_on_violence"],
                row["evidence_security"],
                row["source_url"],
            )
            for row in csv.DictReader(f)
        }


def approach(name: str) -> Approach | None:
    return approaches().get(name) if name else None


def is_harmful(name: str) -> bool:
    """Whether the named approach is one the toolkit rates harmful (warn wherever it shows)."""
    found = approach(name)
    return bool(found and found.is_harmful)


def choices() -> list[tuple[str, str]]:
    return [("", "None")] + [(name, name) for name in approaches()]
