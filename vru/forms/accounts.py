"""Signing in, passwords, second factors and personal API tokens, in GOV.UK markup."""

from allauth.account import forms as account_forms
from allauth.account.forms import LoginForm
from allauth.mfa.base import forms as mfa_forms
from allauth.mfa.totp import forms as totp_forms
from django import forms

from vru.forms.govuk import GovukErrorsMixin, GovukForm


class SignInForm(GovukErrorsMixin, LoginForm):
    """django-allauth's sign-in form (``login`` is the username) with GOV.UK labels and no
    autofocus or placeholders, so keyboard users meet the skip link and the page heading
    first (GOV.UK advises against autofocus)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].label = "Username"
        self.fields["password"].label = "Password"
        # allauth puts a "Forgot your password?" link in the hint, between the two fields in
        # the tab order; the page has its own link after the button
        self.fields["password"].help_text = ""
        for name in ("login", "password"):
            self.fields[name].widget.attrs.pop("autofocus", None)
            self.fields[name].widget.attrs.pop("placeholder", None)
        self.fields["login"].widget.attrs["autocomplete"] = "username"
        self.fields["login"].widget.attrs["spellcheck"] = "false"


# allauth's other forms on the account pages (settings.ACCOUNT_FORMS and MFA_FORMS): the same
# messages as every form of the product, naming the field.
class ResetPasswordForm(GovukErrorsMixin, account_forms.ResetPasswordForm):
    error_names = {"email": "your email address"}


class ResetPasswordKeyForm(GovukErrorsMixin, account_forms.ResetPasswordKeyForm):
    error_names = {"password1": "a new password", "password2": "the new password again"}


class ChangePasswordForm(GovukErrorsMixin, account_forms.ChangePasswordForm):
    error_names = {
        "oldpassword": "your current password",
        "password1": "a new password",
        "password2": "the new password again",
    }


class SetPasswordForm(GovukErrorsMixin, account_forms.SetPasswordForm):
    error_names = {"password1": "a password", "password2": "the password again"}


class ReauthenticateForm(GovukErrorsMixin, account_forms.ReauthenticateForm):
    error_names = {"password": "your password"}


class MFAAuthenticateForm(GovukErrorsMixin, mfa_forms.AuthenticateForm):
    error_names = {"code": "the code from your authenticator app or a recovery code"}


class MFAReauthenticateForm(GovukErrorsMixin, mfa_forms.ReauthenticateForm):
    error_names = {"code": "the code from your authenticator app or a recovery code"}


class ActivateTOTPForm(GovukErrorsMixin, totp_forms.ActivateTOTPForm):
    error_names = {"code": "the code your authenticator app shows"}


class ApiTokenForm(GovukForm):
    """Make a personal API token (vru.services.api_token_create)."""

    EXPIRY_CHOICES = [(7, "7 days"), (30, "30 days"), (90, "90 days"), (365, "1 year")]

    name = forms.CharField(
        max_length=100, label="Name", help_text="What the token is for, for example “Power BI”."
    )
    scope = forms.ChoiceField(
        label="What it may do",
        choices=[
            ("read_only", "Read only: it may look at what you can see, but change nothing"),
            ("role", "Everything your role may do, including recording and changing records"),
        ],
        widget=forms.RadioSelect,
        initial="read_only",
    )
    days = forms.TypedChoiceField(
        label="Expires after", coerce=int, choices=EXPIRY_CHOICES, widget=forms.RadioSelect
    )
    error_names = {"scope": "what the token may do", "days": "when the token expires"}

    def __init__(self, *args, default_days: int = 90, **kwargs):
        super().__init__(*args, **kwargs)
        choices = dict(self.EXPIRY_CHOICES)
        choices.setdefault(default_days, f"{default_days} days")
        self.fields["days"].choices = sorted(choices.items())
        self.fields["days"].initial = default_days
