"""The place picker: one field for every page where a user names a neighbourhood. It takes an
LSOA code (E01021237), an LSOA name (Chelmsford 001A) or a place or local authority name that
only one neighbourhood of the user's partnership bears, and gives the LSOA code, so the
record's input (which imports and the API fill with codes) judges it as before. With
JavaScript, static/vru/place-picker.js offers suggestions as one types (vru:place_suggest) and
a map of one local authority's neighbourhoods to tap (vru:place_map)."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy

from vru.models.places import lsoa_code_validator

PLACE_HINT = "An LSOA code or name, a place or a postcode, for example E01021234 or Chelmsford 001A"
PLACES_HINT = "LSOA codes or names separated by commas, for example E01021234, Chelmsford 001A"


class PlaceInput(forms.TextInput):
    """A text box; the script adds a list of suggestions fed from the suggestions endpoint."""

    def __init__(self, attrs=None):
        super().__init__(
            {
                "autocomplete": "off",
                "spellcheck": "false",
                "data-place-suggest": reverse_lazy("vru:place_suggest"),
                "data-place-map": reverse_lazy("vru:place_map"),
                **(attrs or {}),
            }
        )


def _is_code(text: str) -> bool:
    return lsoa_code_validator.regex.match(text.upper()) is not None


def place_error(match, error_name: str) -> str:
    """The refusal of a place that names no neighbourhood, or several, and what matched."""
    if match.count == 0 and match.postcode:
        return (
            f"‘{match.text}’ is not a postcode of your partnership's neighbourhoods (or the "
            f"postcode directory has not been imported): enter {error_name} as an LSOA code "
            "or name"
        )
    if match.count == 0:
        return (
            f"Enter {error_name} as an LSOA code, an LSOA name or a place in your "
            f"partnership: ‘{match.text}’ matches no neighbourhood"
        )
    examples = " or ".join(f"‘{lsoa.name}’" for lsoa in match.examples[:2])
    return (
        f"‘{match.text}’ matches {match.count} neighbourhoods: type more of {error_name}, "
        f"for example {examples}"
    )


class PlaceField(forms.CharField):
    """A neighbourhood of the viewer's partnership, as a code, a name or a place (the value
    is its LSOA code). Without a viewer (a form built outside a request) it takes codes only,
    as typed, and leaves judging them to the record's input. ``many``: several, separated
    by commas (the value is a list of codes)."""

    widget = PlaceInput

    def __init__(self, *, viewer=None, many=False, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", PLACES_HINT if many else PLACE_HINT)
        kwargs.setdefault("max_length", 2000 if many else 200)
        super().__init__(**kwargs)
        self.viewer, self.many = viewer, many
        if many:
            self.widget.attrs["data-place-multiple"] = ""  # typed, not tapped on the map

    def _code(self, text: str, errors: list) -> str | None:
        from vru import selectors  # the selectors' filters use the forms: not at import

        if _is_code(text) or self.viewer is None:
            return text.upper()  # a code: the record's input says whether it is the area's
        match = selectors.place_find(viewer=self.viewer, text=text)
        if match.lsoa is None:
            name = getattr(self, "error_name", None) or "the neighbourhood"
            errors.append(ValidationError(place_error(match, name), code="place"))
            return None
        return match.lsoa.code

    def clean(self, value):
        value = super().clean(value)
        texts = _places(value) if self.many else [" ".join(value.split())] if value else []
        errors: list = []
        codes = [self._code(text, errors) for text in texts]
        if errors:
            raise ValidationError(errors)
        if not self.many:
            return codes[0] if codes else value
        return list(dict.fromkeys(codes))


def _places(value: str) -> list[str]:
    """The places of a list: separated by commas (or new lines); codes may be separated by
    spaces alone, as before names were taken."""
    texts = []
    for part in re.split(r"[,;\n]+", value or ""):
        words = part.split()
        if words and all(_is_code(w) for w in words):
            texts.extend(words)
        elif words:
            texts.append(" ".join(words))
    return texts
