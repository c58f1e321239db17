import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from vru.validators import validate_document


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content"),
    [("sna.pdf", b"%PDF-1.7\n..."), ("sna.docx", _docx()), ("renamed.bin", b"%PDF-1.4")],
)
def test_pdf_and_word_documents_are_accepted_whatever_their_name(name, content):
    validate_document(SimpleUploadedFile(name, content))


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("sna.pdf", b"<html><script>alert(1)</script>"),
        ("sna.pdf", b"MZ\x90\x00 an executable"),
        ("sna.docx", b"PK\x03\x04 not really a zip"),
        ("empty.pdf", b""),
    ],
)
def test_files_that_only_look_like_documents_by_name_are_refused(name, content):
    with pytest.raises(ValidationError, match="PDF, Word"):
        validate_document(SimpleUploadedFile(name, content))
