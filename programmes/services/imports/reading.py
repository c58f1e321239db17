"""Reading a custody spreadsheet into rows, and parsing its cells."""

from datetime import date, datetime

from vru.services import imports as core_imports
from vru.services import read_table, workbooks


def read_rows(*, file_name: str, content: bytes) -> list[dict]:
    """The rows of an uploaded file: CSV with the csv module (fast), XLSX through read_table.
    Column names are matched without regard to case or surrounding spaces. Either way: UTF-8,
    no NUL bytes, no duplicate columns, no row longer than the header, no cell a spreadsheet
    would run as a formula, or a clear error (vru.services.imports' checks, shared by every import)."""
    if file_name.lower().endswith(".csv"):
        rows = core_imports.padded_rows(core_imports.csv_rows(core_imports.decode_csv(content)))
        if not rows:
            return []
        core_imports.check_cells(header=rows[0], rows=rows[1:])
        header = [h.strip().lower() for h in rows[0]]
        core_imports.check_headers(header)
        found = [dict(zip(header, row, strict=True)) for row in rows[1:] if any(row)]
        workbooks.require_data_rows(len(found))
        return found
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
