"""One partnership's records: the scope every selector starts from.

A model whose rows belong to a partnership (directly or through a parent) declares the path
once; selectors then write ``Model.objects.for_viewer(viewer)`` instead of typing the filter.
"""

from django.db import models


class PartnershipQuerySet(models.QuerySet):
    # The path from this model to its partnership: "partnership" or, say, "programme__partnership".
    partnership_path = "partnership"

    def in_partnership(self, partnership_id: int | None):
        return self.filter(**{f"{self.partnership_path}_id": partnership_id})

    def for_viewer(self, viewer):
        """The rows of the viewer's partnership (none for a user without one). Narrower rules
        (a practitioner's own programmes, a reviewer's own tasks) live in the app's selectors."""
        return self.in_partnership(getattr(viewer, "partnership_id", None))


def scoped_to(path: str) -> type[PartnershipQuerySet]:
    """A queryset class for a model whose partnership is reached through ``path``."""
    return type(f"PartnershipQuerySet_{path}", (PartnershipQuerySet,), {"partnership_path": path})
