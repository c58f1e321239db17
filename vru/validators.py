"""Checks on uploaded files (by their content, not their name), and the shape of a postcode."""

import re
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError


def _megabytes(limit: int) -> str:
    return f"{limit / (1024 * 1024):g} MB"


def validate_size(upload, limit: int) -> None:
    if upload.size > limit:
        raise ValidationError(
            f"The file must be smaller than {_megabytes(limit)}.", code="too_large"
        )


def validate_import_file(upload) -> None:
    """An import file no larger than VRU_MAX_IMPORT_BYTES (its content is checked when read:
    UTF-8 CSV or an XLSX workbook)."""
    validate_size(upload, settings.VRU_MAX_IMPORT_BYTES)


def validate_document(upload) -> None:
    """A PDF, Word (.docx) or OpenDocument text file, at most VRU_MAX_DOCUMENT_BYTES."""
    validate_size(upload, settings.VRU_MAX_DOCUMENT_BYTES)
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            names = set()
        finally:
            upload.seek(0)
        if "word/document.xml" in names or "content.xml" in names:
            return
    raise ValidationError(
        "The file must be a PDF, Word (.docx) or OpenDocument text document.",
        code="file_type",
    )


# A UK postcode, written without spaces (CM11AA, SW1A1AA): the one pattern the postcode
# directory's import and the place picker share
POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}$")


def postcode_key(text: str) -> str:
    """A postcode as the directory keeps it: capitals, no spaces."""
    return "".join(str(text or "").upper().split())
