"""Reading a custody spreadsheet into rows, and parsing its cells."""

import csv
import io
from datetime import date, datetime

from django.core.exceptions import ValidationError

from vru.services import read_table


def read_rows(*, file_name: str, content: bytes) -> list[dict]:
    """The rows of an uploaded file: CSV with the csv module (fast), XLSX through read_table.
    Column names are matched without regard to case or surrounding spaces."""
    if file_name.lower().endswith(".csv"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValidationError(
                "The file is not UTF-8 text. Save it as “CSV UTF-8” and try again.",
                code="encoding",
            ) from exc
        if "\x00" in text:
            raise ValidationError("The file contains NUL bytes: it is not a CSV file.")
        reader = csv.reader(io.StringIO(text))
        header = [h.strip().lower() for h in next(reader, [])]
        repeated = sorted({h for h in header if h and header.count(h) > 1})
        if repeated:
            raise ValidationError(
                "These columns appear more than once: " + ", ".join(repeated) + ".",
                code="duplicate_columns",
            )
        return [dict(zip(header, row, strict=False)) for row in reader if any(row)]
    return list(read_table(file_name=file_name, content=content).dict)


def lookup(choices) -> dict[str, str]:
    """Accept a choice by its value or its label, in any case."""
    table = {}
    for key, label in choices:
        table[str(label).lower()] = key
        table[key.lower()] = key
    return table


def choice(value, table: dict[str, str], default: str | None) -> str | None:
    text = str(value or "").strip()
    if not text:
        return default
    return table.get(text.lower())


def when(value, zone) -> datetime | None:
    if isinstance(value, datetime):
        parsed = value
    else:
        text = str(value or "").strip()
        if not text:
            return None
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zone)
    return parsed


def day(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None
