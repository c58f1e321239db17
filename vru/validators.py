"""Checks on uploaded files: by their content, not their name."""

import zipfile

from django.core.exceptions import ValidationError

MAX_DOCUMENT_BYTES = 25 * 1024 * 1024


def validate_document(upload) -> None:
    """A PDF, Word (.docx) or OpenDocument text file, at most 25 MB."""
    if upload.size > MAX_DOCUMENT_BYTES:
        raise ValidationError("The file must be smaller than 25 MB.", code="too_large")
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
