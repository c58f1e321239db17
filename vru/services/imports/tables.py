"""Reading an import file into a table: CSV (UTF-8) or XLSX, every cell checked before
anything is stored."""

import csv
import io
import itertools
import re
from collections.abc import Iterable, Sequence

import tablib
from django.core.exceptions import ValidationError

from vru.exports import looks_like_formula
from vru.services import workbooks

FILE_FORMATS = {"csv": "csv", "xlsx": "xlsx"}
# Excel's own limit for one cell; anything longer is not a spreadsheet someone typed.
MAX_CELL_CHARS = 32_767
# A cell a spreadsheet would run as a formula (vru.exports.looks_like_formula, the rule
# exports escape by) is refused at the door, with where it is.
MAX_LISTED = 10


# a cell (after a line break: cells are joined with them below) that may start a formula
_MAYBE_FORMULA = re.compile(r"(?:\A|\n)[=+\-@\t\r]")


def _surely_clean(header: Sequence, rows: Iterable[Sequence]) -> bool:
    """True when no cell can be a problem, decided in C over the whole table joined by line
    breaks (a table of text only; a cell with a line break of its own can only add false
    alarms, which check_cells then examines cell by cell)."""
    try:
        cells = [*header, *itertools.chain.from_iterable(rows)]
        text = "\n".join(cells)
    except TypeError:  # not all text (XLSX numbers, dates, empty cells)
        return False
    return (
        "\x00" not in text
        and not _MAYBE_FORMULA.search(text)
        and (len(text) <= MAX_CELL_CHARS or max(map(len, cells)) <= MAX_CELL_CHARS)
    )


def check_cells(*, header: Sequence, rows: Iterable[Sequence]) -> None:
    """Refuse a table with NUL bytes, cells longer than a spreadsheet holds, or cells that
    start like a formula (a negative number is not one). The error names each cell as a
    spreadsheet would: row (the header is row 1) and column."""
    rows = list(rows)
    if _surely_clean(header, rows):
        return  # most files: the whole table at once, not cell by cell
    names = [str(h or "") for h in header]
    problems = []
    for number, row in enumerate([header, *rows], start=1):
        for position, cell in enumerate(row):
            if cell is None or not isinstance(cell, str) or not cell:
                continue
            column = names[position] if position < len(names) else f"column {position + 1}"
            where = f"Row {number}, column “{column}”"
            if "\x00" in cell:
                problems.append(f"{where} contains a NUL byte.")
            elif len(cell) > MAX_CELL_CHARS:
                problems.append(f"{where} is longer than {MAX_CELL_CHARS:,} characters.")
            elif looks_like_formula(cell):
                shown = cell[0].replace("\t", "a tab").replace("\r", "a carriage return")
                problems.append(
                    f"{where} starts with {shown}, which spreadsheets run as a formula: "
                    "remove it or reword the cell."
                )
            if len(problems) >= MAX_LISTED:
                break
        if len(problems) >= MAX_LISTED:
            break
    if problems:
        raise ValidationError(problems, code="unsafe_cells")


def check_headers(headers: Sequence[str]) -> None:
    duplicates = {h for h in headers if h and list(headers).count(h) > 1}
    if duplicates:
        raise ValidationError(
            "These columns appear more than once: " + ", ".join(sorted(duplicates)) + ".",
            code="duplicate_columns",
        )


def decode_csv(content: bytes) -> str:
    """UTF-8 text (a byte-order mark is dropped) without NUL bytes, or a clear error."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(
            "The file is not UTF-8 text. Save it as “CSV UTF-8” and try again.",
            code="encoding",
        ) from exc
    if "\x00" in text:
        raise ValidationError(
            "The file contains NUL bytes: it is not a CSV file.", code="nul_bytes"
        )
    return text


def csv_rows(text: str, *, limits: workbooks.Limits | None = None) -> list[list[str]]:
    """Every row of a CSV text, or a clear error for a file the csv module cannot read (a
    cell larger than it allows, a quote left open) or with more rows than `limits` allow
    (a background import's, unless given)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        return list(workbooks.count_csv_rows(reader, limits=limits or workbooks.background()))
    except csv.Error as exc:
        raise ValidationError(
            f"The file is not a CSV file we can read ({exc}).", code="malformed_csv"
        ) from exc


def padded_rows(rows: list[list[str]]) -> list[list[str]]:
    """CSV rows as tablib reads them (blank lines skipped, short rows padded to the header),
    except that a row with more cells than the header is a clear error: an unquoted comma
    would otherwise shift every later column of that row."""
    rows = [row for row in rows if row]
    if not rows:
        return []
    width = len(rows[0])
    padded = [rows[0]]
    for number, row in enumerate(rows[1:], start=2):
        if len(row) == width:
            padded.append(row)
            continue
        while len(row) > width and not row[-1].strip():
            row = row[:-1]
        if len(row) > width:
            raise ValidationError(
                f"Row {number} has more cells ({len(row)}) than the header has columns ({width}).",
                code="ragged_row",
            )
        padded.append(row + [""] * (width - len(row)))
    return padded


def _dataset_from_rows(rows: list[list[str]]) -> tablib.Dataset:
    dataset = tablib.Dataset()
    rows = padded_rows(rows)
    if rows:
        dataset.headers = rows[0]
        for row in rows[1:]:
            dataset.append(row)
    return dataset


def has_values(row: Sequence) -> bool:
    """Whether a row holds anything (a row of empty cells is a blank line)."""
    return any(cell is not None and str(cell).strip() for cell in row)


def read_table(
    *, file_name: str, content: bytes, limits: workbooks.Limits | None = None
) -> tablib.Dataset:
    """Read a CSV (UTF-8, with or without a byte-order mark) or XLSX file into rows. The file
    is checked first against `limits` (a background import's unless given: the admin reads
    with the smaller ones of a web request): an XLSX file's unpacked size, its rows counted
    as a stream whatever it declares, and then read whole (vru.services.workbooks). A file
    with a header and no row below it is refused."""
    limits = limits or workbooks.background()
    extension = file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
    if extension not in FILE_FORMATS:
        raise ValidationError("Upload a .csv or .xlsx file.", code="file_type")
    if extension == "csv":
        dataset = _dataset_from_rows(csv_rows(decode_csv(content), limits=limits))
    else:
        header, rows, _facts = workbooks.read_xlsx(content, limits=limits)
        dataset = tablib.Dataset()
        if header:
            dataset.headers = header
            for row in rows:
                dataset.append(row)
    if dataset.headers:
        check_cells(header=dataset.headers, rows=dataset)
        dataset.headers = [str(h or "").strip().lower() for h in dataset.headers]
        check_headers(dataset.headers)
        workbooks.require_data_rows(sum(1 for row in dataset if has_values(row)))
    return dataset
