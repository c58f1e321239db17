"""Uploaded files: stored under random names, served only as downloads.

- ``RandomName("grants/attachments")`` is an ``upload_to``: the stored name is random (the
  uploader's file name never reaches the disk, so no ``../``, no overwrites, no guessing).
- ``download(field_file, name=...)``: the only way a stored file leaves the server, from a
  view that has already checked who is asking. The Content-Type comes from the file's first
  bytes, it is always an attachment (never rendered in the browser) and never sniffed.

MEDIA_ROOT is outside the web root and no URL serves it.
"""

import os
import secrets
import zipfile

from django.http import FileResponse
from django.utils.deconstruct import deconstructible
from django.utils.text import slugify

# (first bytes, extension, Content-Type); ZIP-based documents are told apart below.
SIGNATURES = [
    (b"%PDF-", ".pdf", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", ".png", "image/png"),
    (b"\xff\xd8\xff", ".jpg", "image/jpeg"),
]
DOCX = (".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
ODT = (".odt", "application/vnd.oasis.opendocument.text")
UNKNOWN = ("", "application/octet-stream")
KNOWN_EXTENSIONS = {".pdf", ".png", ".jpg", ".jpeg", ".docx", ".odt"}


def content_kind(file) -> tuple[str, str]:
    """(extension, Content-Type) of a file, from its content."""
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    for signature, extension, content_type in SIGNATURES:
        if head.startswith(signature):
            return extension, content_type
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(file) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            names = set()
        finally:
            file.seek(0)
        if "word/document.xml" in names:
            return DOCX
        if "content.xml" in names:
            return ODT
    return UNKNOWN


@deconstructible
class RandomName:
    """``upload_to`` giving ``<folder>/<32 random hex digits><extension>``. The extension is
    kept only when it is one of the known document types (validators have already checked
    the content); the rest of the uploader's file name is dropped."""

    def __init__(self, folder: str):
        self.folder = folder.rstrip("/")

    def __call__(self, instance, filename: str) -> str:
        extension = os.path.splitext(filename)[1].lower()
        if extension not in KNOWN_EXTENSIONS:
            extension = ""
        return f"{self.folder}/{secrets.token_hex(16)}{extension}"

    def __eq__(self, other):
        return isinstance(other, RandomName) and other.folder == self.folder


def download(field_file, *, name: str) -> FileResponse:
    """A stored file as a download named ``name`` (slugified, extension from the content)."""
    handle = field_file.open("rb")
    extension, content_type = content_kind(handle)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"{slugify(name) or 'file'}{extension}",
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
