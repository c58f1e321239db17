"""Spreadsheets checked before they are opened: the one place every import door asks.

An XLSX file is a zip archive of XML parts, so a small upload can unpack to gigabytes (a zip
bomb), and the size a sheet declares (`<dimension ref="A1:E2"/>`) need not be the size it has:
openpyxl's fast reader trusts the declaration and silently drops the rows past it. So, before
any parser sees a workbook:

1. the unpacked size of every part (from the archive's directory, which Python's zip reader
   holds each part to) is added up and refused over the limit;
2. the sheet that will be read (the workbook's active sheet) is scanned as a stream, never
   held whole, counting its rows by their numbers (a lone row numbered 1,000,000 makes a
   million rows) and refused as soon as they pass the limit; cells past column ZZ are refused;
3. the declared size is read and kept: the sheet is then read whole, whatever it declares.

CSV files are counted as they are parsed and refused past the same row limit, and a gzip
file is unpacked as a stream up to the limit. Every import refuses a file with no data rows
(only its header). Two sets of limits, from settings: `background()` for files read by a
Celery job or a command, and `waiting()` (smaller) for files read while someone waits on a
web request (the admin's imports). Each refusal names the limit.
"""

import csv
import gzip
import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from posixpath import dirname, join, normpath
from xml.etree import ElementTree

from django.conf import settings
from django.core.exceptions import ValidationError

MB = 1024 * 1024
CHUNK = 1024 * 1024
# an XLSX workbook has a few dozen parts; a file with thousands is something else
MAX_PARTS = 2_000
# workbook.xml and its relationships: a few kilobytes in any real workbook
MAX_INDEX_PART_BYTES = 5 * MB

_ROW = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row\b([^>]*)>")
_ROW_NUMBER = re.compile(rb"\br\s*=\s*[\"'](\d+)[\"']")
_WIDE_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c\b[^>]*?\br\s*=\s*[\"'][A-Za-z]{3,}\d")
_DIMENSION = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?dimension\b[^>]*?\bref\s*=\s*[\"']([^\"']+)")
_CELL_ROW = re.compile(r"[A-Za-z]*(\d+)$")
# the fast forms, as spreadsheets write them (a literal start is found quickly)
_NUMBERED_ROW = re.compile(rb"<row r=[\"'](\d+)[\"']")
_WIDE_REF = re.compile(rb" r=[\"'][A-Za-z]{3}")
MAX_COLUMNS = 26 * 27  # column ZZ: no import of ours has more than a few dozen columns
_NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_NS_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"


@dataclass(frozen=True)
class Limits:
    """The most a file may unpack to and the most rows it may hold, for one kind of door."""

    unpacked_bytes: int
    rows: int


def background() -> Limits:
    """Files read by a Celery job or a command (VRU_MAX_IMPORT_*)."""
    return Limits(settings.VRU_MAX_IMPORT_UNPACKED_BYTES, settings.VRU_MAX_IMPORT_ROWS)


def waiting() -> Limits:
    """Files read inside a web request, someone waiting (VRU_MAX_WAITING_IMPORT_*)."""
    return Limits(
        settings.VRU_MAX_WAITING_IMPORT_UNPACKED_BYTES, settings.VRU_MAX_WAITING_IMPORT_ROWS
    )


@dataclass(frozen=True)
class WorkbookFacts:
    """What the check of an XLSX file found: its parts' unpacked size, the rows of the sheet
    that is read (counted by their numbers) and the rows that sheet declares (None if it
    declares none)."""

    unpacked_bytes: int
    rows: int
    declared_rows: int | None

    @property
    def past_declaration(self) -> bool:
        return self.declared_rows is not None and self.rows > self.declared_rows


def size_label(n: int) -> str:
    """A size as people read it: 741 MB, 2.9 MB, 64 KB, 900 bytes."""
    if n >= 10 * MB:
        return f"{n / MB:,.0f} MB"
    if n >= MB:
        return f"{n / MB:.1f} MB"
    if n >= 1024:
        return f"{n / 1024:,.0f} KB"
    return f"{n:,} bytes"


def too_big(unpacked: int, limits: Limits, *, more_than: bool = False) -> ValidationError:
    return ValidationError(
        f"The file unpacks to {'more than ' if more_than else ''}{size_label(unpacked)}; the "
        f"most this import accepts is {size_label(limits.unpacked_bytes)}. Split it into "
        "smaller files.",
        code="too_large_unpacked",
    )


def too_many_rows(rows: int, limits: Limits, *, more_than: bool = False) -> ValidationError:
    return ValidationError(
        f"The file has {'more than ' if more_than else ''}{rows:,} rows; the most this import "
        f"accepts is {limits.rows:,}. Split it into smaller files.",
        code="too_many_rows",
    )


NO_DATA_ROWS = (
    "The file has no rows below its header: there is nothing to import. Nothing was changed."
)


def require_data_rows(data_rows: int) -> None:
    """Refuse a file whose only row is its header (every import door)."""
    if data_rows <= 0:
        raise ValidationError(NO_DATA_ROWS, code="no_rows")


def _not_a_workbook() -> ValidationError:
    return ValidationError("The file could not be read as an XLSX workbook.", code="file_type")


def _archive(content: bytes) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _not_a_workbook() from exc


def _small_part(archive: zipfile.ZipFile, name: str) -> ElementTree.Element | None:
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.file_size > MAX_INDEX_PART_BYTES:
        raise _not_a_workbook()
    try:
        text = archive.read(info)
        if b"<!DOCTYPE" in text or b"<!ENTITY" in text:
            raise _not_a_workbook()  # no entities: nothing to expand
        return ElementTree.fromstring(text)  # noqa: S314 (no DOCTYPE, a bounded size)
    except (ElementTree.ParseError, zipfile.BadZipFile, zlib.error, OSError) as exc:
        raise _not_a_workbook() from exc


def _targets(archive: zipfile.ZipFile, part: str) -> dict[str, str]:
    """The relationships of a part: id -> the path of the part it points at."""
    rels = _small_part(archive, join(dirname(part), "_rels", part.rsplit("/", 1)[-1] + ".rels"))
    found = {}
    for rel in [] if rels is None else rels.iter(f"{{{_NS_PKG}}}Relationship"):
        target = rel.get("Target", "")
        path = target.lstrip("/") if target.startswith("/") else join(dirname(part), target)
        found[rel.get("Id", "")] = normpath(path)
    return found


def active_sheet(archive: zipfile.ZipFile) -> str | None:
    """The path of the sheet a reader opens (the workbook's active tab, as openpyxl finds
    it), or None when the workbook names none we can find."""
    package = _small_part(archive, "_rels/.rels")
    workbook_part = "xl/workbook.xml"
    for rel in [] if package is None else package.iter(f"{{{_NS_PKG}}}Relationship"):
        if rel.get("Type", "").endswith("/officeDocument"):
            workbook_part = normpath(rel.get("Target", workbook_part).lstrip("/"))
    workbook = _small_part(archive, workbook_part)
    if workbook is None:
        return None
    sheets = list(workbook.iter(f"{{{_NS_MAIN}}}sheet"))
    view = workbook.find(f"{{{_NS_MAIN}}}bookViews/{{{_NS_MAIN}}}workbookView")
    try:
        active = int(view.get("activeTab", 0)) if view is not None else 0
    except ValueError:
        active = 0
    if not sheets:
        return None
    sheet = sheets[active] if 0 <= active < len(sheets) else sheets[0]
    return _targets(archive, workbook_part).get(sheet.get(f"{{{_NS_REL}}}id", ""))


def _declared_rows(ref: bytes) -> int | None:
    last = ref.decode("ascii", "replace").split(":")[-1].strip()
    match = _CELL_ROW.match(last)
    return int(match.group(1)) if match else None


def _rows_in(chunk: bytes, rows: int) -> int:
    """The rows a reader would have made by the end of this chunk, given `rows` before it:
    a row numbered n makes n rows (the gaps are filled), a row without a number one more."""
    tags = chunk.count(b"<row") - chunk.count(b"<rowBreaks")
    numbered = _NUMBERED_ROW.findall(chunk)
    if tags == len(numbered) and b":row" not in chunk:  # as every spreadsheet writes them
        return max(rows + tags, max(map(int, numbered), default=0)) if tags else rows
    for match in _ROW.finditer(chunk):  # anything else: tag by tag
        number = _ROW_NUMBER.search(match.group(1))
        rows = max(rows + 1, int(number.group(1))) if number else rows + 1
    return rows


def _wide(chunk: bytes) -> bool:
    if b" =" in chunk or b"= " in chunk or b"\t=" in chunk or b"\n=" in chunk:
        return bool(_WIDE_CELL.search(chunk))
    return bool(_WIDE_REF.search(chunk))


def scan_sheet(
    archive: zipfile.ZipFile, name: str, *, limits: Limits, look: tuple[int, int] | None = None
) -> tuple[int, int | None]:
    """(rows, declared rows) of one sheet, read as a stream in chunks, never whole. Rows are
    counted by their numbers, as a reader fills the gaps. Refuses past the row limit as soon
    as it is passed, and cells past column ZZ. A quick look, `look=(rows, bytes)`, stops once
    that many rows are seen or that many bytes read (and refuses no row count)."""
    rows = 0
    declared = None
    tail = b""
    seen = 0
    try:
        with archive.open(name) as part:
            while True:
                data = part.read(CHUNK)
                seen += len(data)
                chunk = tail + data
                tail = b""
                if data:
                    # keep an unfinished tag for the next chunk (a bounded tail)
                    cut = chunk.rfind(b"<")
                    if cut != -1 and chunk.find(b">", cut) == -1 and len(chunk) - cut < 4096:
                        chunk, tail = chunk[:cut], chunk[cut:]
                if declared is None and seen <= 4 * CHUNK:  # it comes before the rows
                    found = _DIMENSION.search(chunk)
                    if found:
                        declared = _declared_rows(found.group(1))
                rows = _rows_in(chunk, rows)
                if rows > limits.rows + 1 and look is None:  # the header is not counted
                    raise too_many_rows(limits.rows, limits, more_than=True)
                if _wide(chunk):
                    raise too_wide()
                if look is not None and (rows >= look[0] or seen >= look[1]):
                    break
                if not data:
                    break
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as exc:
        raise _not_a_workbook() from exc
    return rows, declared


def too_wide() -> ValidationError:
    return ValidationError(
        "The file has cells beyond column ZZ: no import has that many columns. Delete the "
        "cells to the right of your table.",
        code="too_many_columns",
    )


def check_xlsx(content: bytes, *, limits: Limits) -> WorkbookFacts:
    """Check an XLSX file before any parser opens it: its parts' unpacked size, then the rows
    of the sheet that is read (a stream), and its declared size. Raises ValidationError
    naming the limit; returns what it found."""
    if not content.startswith(b"PK"):
        raise ValidationError("The file is not an XLSX workbook.", code="file_type")
    with _archive(content) as archive:
        parts = archive.infolist()
        if len(parts) > MAX_PARTS:
            raise _not_a_workbook()
        unpacked = sum(info.file_size for info in parts)
        if unpacked > limits.unpacked_bytes:
            raise too_big(unpacked, limits)
        sheet = active_sheet(archive)
        if sheet is None or sheet not in archive.namelist():
            raise _not_a_workbook()
        rows, declared = scan_sheet(archive, sheet, limits=limits)
    return WorkbookFacts(unpacked_bytes=unpacked, rows=rows, declared_rows=declared)


def read_xlsx(content: bytes, *, limits: Limits) -> tuple[list, list[list], WorkbookFacts]:
    """(header, rows, facts) of the active sheet, checked first (check_xlsx) and then read
    whole: its declared size is ignored, so no row past it is dropped. Rows are padded to the
    widest row, as a sheet's declared width would; an empty row stays (as None cells)."""
    facts = check_xlsx(content, limits=limits)
    from openpyxl import load_workbook  # only once the file is known to be safe to open

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        try:
            sheet = book.active
            sheet.reset_dimensions()  # read every row, whatever the sheet declares
            table = []
            for values in sheet.iter_rows(values_only=True):
                # the scan has counted; this holds whatever it could not see
                if len(table) > limits.rows:
                    raise too_many_rows(limits.rows, limits, more_than=True)
                values = list(values)
                while values and values[-1] is None:
                    values.pop()
                if len(values) > MAX_COLUMNS:
                    raise too_wide()
                table.append(values)
        finally:
            book.close()
    except ValidationError:
        raise
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise _not_a_workbook() from exc
    if not table:
        return [], [], facts
    width = max(map(len, table))
    table = [row + [None] * (width - len(row)) for row in table]
    return table[0], table[1:], facts


def count_csv_rows(rows, *, limits: Limits):
    """The rows of a csv reader, refused as soon as they pass the limit (the header does not
    count)."""
    for number, row in enumerate(rows):
        if number > limits.rows:
            raise too_many_rows(limits.rows, limits, more_than=True)
        yield row


def gunzip(content: bytes, *, limits: Limits) -> bytes:
    """A gzip file's content, unpacked as a stream and refused past the unpacked limit."""
    out = io.BytesIO()
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(content)) as stream:
            while block := stream.read(CHUNK):
                out.write(block)
                if out.tell() > limits.unpacked_bytes:
                    raise too_big(out.tell(), limits, more_than=True)
    except (OSError, EOFError, zlib.error) as exc:
        raise ValidationError("The file is not a gzip file we can read.", code="file_type") from exc
    return out.getvalue()


def has_data_rows(file_name: str, content: bytes, *, limits: Limits) -> bool | None:
    """A quick look at an upload, cheap enough for a web request: whether it has a row below
    its header (None when a quick look cannot tell, which the full check then decides)."""
    if file_name.lower().endswith(".xlsx"):
        with _archive(content) as archive:
            sheet = active_sheet(archive)
            if sheet is None or sheet not in archive.namelist():
                return None
            rows, _ = scan_sheet(archive, sheet, limits=limits, look=(2, limits.unpacked_bytes))
            whole = archive.getinfo(sheet).file_size <= limits.unpacked_bytes
        if rows >= 2:
            return True
        return False if whole else None
    try:
        text = io.TextIOWrapper(io.BytesIO(content), encoding="utf-8-sig", newline="")
        reader = csv.reader(text)
        header = next(reader, None)
        if header is None:
            return None
        return any(any(cell.strip() for cell in row) for row in reader)
    except (UnicodeDecodeError, csv.Error):
        return None


def check_upload(*, file_name: str, content: bytes, limits: Limits | None = None) -> None:
    """The checks an upload door makes before it keeps a file for a job: an XLSX file's
    unpacked size and a quick look for a row below the header (CSV too). Cheap: no sheet is
    parsed, and the full check (rows, declared size) runs where the file is read."""
    limits = limits or background()
    if file_name.lower().endswith(".xlsx"):
        if not content.startswith(b"PK"):
            raise ValidationError("The file is not an XLSX workbook.", code="file_type")
        with _archive(content) as archive:
            parts = archive.infolist()
            if len(parts) > MAX_PARTS:
                raise _not_a_workbook()
            unpacked = sum(info.file_size for info in parts)
        if unpacked > limits.unpacked_bytes:
            raise too_big(unpacked, limits)
    if has_data_rows(file_name, content, limits=waiting()) is False:
        require_data_rows(0)
