"""The product's forms: GOV.UK markup and error messages that name their field (govuk), the
sign-in and account forms (accounts), import forms (imports), periods of figures (periods)."""

from vru.forms.accounts import (  # noqa: F401
    ActivateTOTPForm,
    ApiTokenForm,
    ChangePasswordForm,
    MFAAuthenticateForm,
    MFAReauthenticateForm,
    ReauthenticateForm,
    ResetPasswordForm,
    ResetPasswordKeyForm,
    SetPasswordForm,
    SignInForm,
)
from vru.forms.govuk import (  # noqa: F401
    GovukDateField,
    GovukDateInput,
    GovukDateTimeField,
    GovukDateTimeInput,
    GovukErrorsMixin,
    GovukForm,
    GovukFormRenderer,
    GovukModelForm,
    error_name_from_label,
    govuk_error_messages,
)
from vru.forms.imports import (  # noqa: F401
    ImportForm,
    needs_assessment_choice_forms,
)
from vru.forms.periods import (  # noqa: F401
    PeriodFilterForm,
)
from vru.forms.places import PlaceField, PlaceInput  # noqa: F401
