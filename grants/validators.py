"""Checks on applicants' attachments: by their content (magic bytes) and size, not name."""

from django.core.exceptions import ValidationError

from vru.validators import validate_document

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
IMAGE_SIGNATURES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")


def validate_attachment(upload) -> None:
    """A PDF, Word (.docx), OpenDocument text, PNG or JPEG file, at most 10 MB."""
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError("The file must be smaller than 10 MB.", code="too_large")
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(IMAGE_SIGNATURES):
        return
    try:
        validate_document(upload)
    except ValidationError:
        raise ValidationError(
            "The file must be a PDF, Word (.docx), OpenDocument text, PNG or JPEG file.",
            code="file_type",
        ) from None
