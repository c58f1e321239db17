"""Checks on applicants' attachments: by their content (magic bytes) and size, not name."""

from django.conf import settings
from django.core.exceptions import ValidationError

from vru.validators import validate_document, validate_size

IMAGE_SIGNATURES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")


def validate_attachment(upload) -> None:
    """A PDF, Word (.docx), OpenDocument text, PNG or JPEG file, at most
    VRU_MAX_ATTACHMENT_BYTES."""
    validate_size(upload, settings.VRU_MAX_ATTACHMENT_BYTES)
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
