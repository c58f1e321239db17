"""The words a mistake in one field is told in, written once for every door (GOV.UK "Recover
from validation errors": "Enter last name", "Budget must be 1 or more").

The forms' base class (vru.forms.GovukErrorsMixin) writes them for every field of the
product's forms and the admin's; a model field given ``field_messages(...)`` says the same
when a record is checked without a form (a service, an import), so a refusal reads the same
whichever door it came through. This module imports nothing of Django's, so models may use it.
"""


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def field_messages(name: str, *, choose: bool = False, kind: str = "") -> dict[str, str]:
    """The messages for a field called ``name`` in a sentence ("the project title", "budget"):
    when it is missing ("Enter ..."/"Select ..." for a choice), too long, too small or large,
    and, by ``kind`` ("number", "whole number", "date", "email", "url", "slug", "time"), when
    it cannot be read. Keyed by the codes Django's form and model fields use ("blank" and
    "null" are a model's "required")."""
    upper = capitalised(name)
    upper_pct = upper.replace("%", "%%")  # in messages formatted with %(limit_value)s
    missing = f"Select {name}" if choose else f"Enter {name}"
    messages = {
        "required": missing,
        "blank": missing,
        "null": missing,
        "incomplete": f"Enter {name}",
        "invalid_choice": f"Select {name} from the list",  # noqa: S608 - words, not SQL
        "invalid_list": f"Select {name} from the list",  # noqa: S608
        "invalid_pk_value": f"Select {name} from the list",  # noqa: S608
        "max_length": f"{upper_pct} must be %(limit_value)d characters or less",
        "min_length": f"{upper_pct} must be %(limit_value)d characters or more",
        "min_value": f"{upper_pct} must be %(limit_value)s or more",
        "max_value": f"{upper_pct} must be %(limit_value)s or less",
        "step_size": f"{upper_pct} must be a multiple of %(limit_value)s",
        "max_digits": f"{upper_pct} must have %(max)s digits or fewer",
        "max_decimal_places": f"{upper_pct} must have %(max)s decimal places or fewer",
        "max_whole_digits": f"{upper_pct} must have %(max)s digits or fewer before the point",
    }
    invalid = {
        "": f"Enter {name} in the correct format",
        "number": f"{upper} must be a number",
        "whole number": f"{upper} must be a whole number",
        "date": f"{upper} must be a real date",
        "time": f"{upper} must be a real time, like 14:30",
        "email": f"Enter {name} in the correct format, like name@example.com",
        "url": f"Enter {name} in the correct format, like https://www.example.org",
        "slug": f"{upper} must only include letters, numbers and hyphens",
    }[kind]
    messages["invalid"] = invalid
    if kind == "date":  # a model's date field has a code of its own for 31 February
        messages["invalid_date"] = invalid
    return messages
