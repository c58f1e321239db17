"""Every form of the product reports its errors the GOV.UK way, all at once, naming the field.

The forms are found, not listed: every Form class in the apps' forms modules. Each is posted
empty: no message is Django's "This field is required." (or another of its generic messages),
each names its field, and the error summary links each one to its field. A rule across
fields (the last day must be on or after the first) is reported together with the fields' own
errors, not only once those are fixed (a form's clean() runs whatever the fields' errors).
"""

import datetime
import importlib
import inspect
import pkgutil
import re

import pytest
from allauth.core import context as allauth_context
from django import forms
from django.template.loader import render_to_string

from evaluation.models import Instrument, UnitCost
from programmes import services as programme_services
from programmes.models import Contact
from tests.evaluation.factories import ListeningExerciseFactory
from tests.factories import (
    FactorFactory,
    GrantRoundFactory,
    ProgrammeFactory,
    ReferralFactory,
    UserFactory,
    govuk_date,
)
from vru.forms import GovukErrorsMixin, error_name_from_label
from vru.models import LocalAuthority, Role, User

pytestmark = pytest.mark.django_db

FORM_MODULES = (
    "vru.views.area_forms",
    "programmes.forms",
    "programmes.views.correction_forms",
    "evaluation.forms",
)
FORM_PACKAGES = ("vru.forms", "grants.forms")


def _modules():
    for name in FORM_MODULES:
        yield importlib.import_module(name)
    for name in FORM_PACKAGES:
        package = importlib.import_module(name)
        yield package
        for info in pkgutil.iter_modules(package.__path__):
            yield importlib.import_module(f"{name}.{info.name}")


def product_forms() -> list[type[forms.BaseForm]]:
    """Every form class defined in the product's forms modules (not Django's or allauth's)."""
    found = {}
    for module in _modules():
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if (
                issubclass(cls, forms.BaseForm)
                and cls.__module__ == module.__name__
                and cls.__name__ not in {"GovukForm", "GovukModelForm"}
            ):
                found[f"{cls.__module__}.{cls.__name__}"] = cls
    return [found[key] for key in sorted(found)]


FORMS = product_forms()

# Django's generic messages: none of them may reach a user of the product.
GENERIC = re.compile(
    r"^(This field is required\.|Enter a (valid|whole|number).*|Select a valid choice.*"
    r"|Ensure this value.*|Ensure this filename.*|No file was submitted.*"
    r"|The submitted file is empty\.|Enter a list of values\.|Enter a complete value\.)$"
)


@pytest.fixture
def world(partnership):
    programme = ProgrammeFactory(partnership=partnership, name="ReRoute")
    referral = ReferralFactory(programme=programme)
    when = referral.referred_at + datetime.timedelta(minutes=5)
    contact = programme_services.contact_record(
        actor=None, referral=referral, occurred_at=when, method="phone"
    )
    outcome = programme_services.outcome_record(
        actor=None, referral=referral, kind="onward", achieved_on=when.date()
    )
    session = programme_services.session_record(
        actor=None, programme=programme, kind="group", held_on=when.date(), place="Club"
    )
    grant_round = GrantRoundFactory(partnership=partnership)
    exercise = ListeningExerciseFactory(partnership=partnership)
    FactorFactory(partnership=partnership, name="Knife crime", key="knife")
    return {
        "partnership": partnership,
        "user": UserFactory(partnership=partnership, roles=[Role.ANALYST]),
        "programme": programme,
        "grant_round": grant_round,
        "exercise": exercise,
        "referral": referral,
        "contact": contact,
        "outcome": outcome,
        "session": session,
    }


# allauth's forms on the account pages take the user whose account it is.
ALLAUTH_WITH_USER = {
    "ResetPasswordKeyForm",
    "ChangePasswordForm",
    "SetPasswordForm",
    "ReauthenticateForm",
    "MFAAuthenticateForm",
    "MFAReauthenticateForm",
    "ActivateTOTPForm",
}


def _kwargs(form_class, world) -> dict:
    """What each form's view passes it, from the world of the test."""
    users = User.objects.filter(partnership=world["partnership"])
    available = {
        "programmes": type(world["programme"]).objects.filter(pk=world["programme"].pk),
        "staff": users,
        "users": users,
        "reviewers": users,
        "partnership_id": world["partnership"].pk,
        "may_override": True,
        "local_authorities": LocalAuthority.objects.filter(partnership=world["partnership"]),
        "grant_round": world["grant_round"],
        "criteria": world["grant_round"].criteria.all(),
        "recommendations": [],
        "exercise": world["exercise"],
        "awards": [],
        "unit_costs": UnitCost.objects.all(),
        "instruments": Instrument.objects.all(),
        "labels": ("From", "To"),
        "viewer": world["user"],
        "today": datetime.date(2026, 6, 15),
        "choices": {
            "programmes": type(world["programme"]).objects.all(),
            "csps": LocalAuthority.objects.none(),
            "local_authorities": LocalAuthority.objects.none(),
        },
        "factors": list(world["partnership"].factors.all()),
        # the correction forms: the record, the version it was loaded at, who corrects it
        "referral": world["referral"],
        "identity": world["referral"].young_person.identity,
        "contact": world["contact"],
        "outcome": world["outcome"],
        "session": world["session"],
        "version": 1,
        "actor": world["user"],
        "with_identity": True,
    }
    wanted = {}
    if form_class.__module__ == "vru.forms.accounts" and form_class.__name__ in ALLAUTH_WITH_USER:
        wanted["user"] = world["user"]
        if form_class.__name__ == "ResetPasswordKeyForm":
            wanted["temp_key"] = "a-key"
    for klass in form_class.__mro__:
        if "__init__" not in klass.__dict__:
            continue
        for name, parameter in inspect.signature(klass.__init__).parameters.items():
            if parameter.kind == parameter.KEYWORD_ONLY and name in available:
                wanted[name] = available[name]
    return wanted


def _messages(form) -> list[tuple[str, str]]:
    return [(field, str(message)) for field, errors in form.errors.items() for message in errors]


def test_the_forms_are_found():
    names = {cls.__name__ for cls in FORMS}
    assert {"ReferralForm", "ApplicationForm", "EvaluationForm", "RiskRunForm"} <= names
    assert {"SignInForm", "ResetPasswordForm", "MFAAuthenticateForm"} <= names
    assert len(FORMS) >= 45


@pytest.mark.parametrize("form_class", FORMS, ids=lambda cls: cls.__name__)
def test_a_form_posted_empty_names_each_field_in_its_errors(form_class, world, rf):
    # every form is built on the one mechanism
    assert issubclass(form_class, GovukErrorsMixin), form_class
    kwargs = _kwargs(form_class, world)
    if form_class.__name__ == "SignInForm":
        kwargs["request"] = rf.post("/accounts/login/")
    request = rf.post("/")
    request.session = {}
    with allauth_context.request_context(request):
        form = form_class(data={}, files={}, **kwargs)
        form.is_valid()

    for field, message in _messages(form):
        assert not GENERIC.match(message), (field, message)
        if field == "__all__":
            continue
        name = form.error_name(field)
        label = error_name_from_label(form.fields[field].label or field)
        assert name.lower() in message.lower() or label.lower() in message.lower(), (
            field,
            message,
        )
    # and the error summary lists them all, each field's linked to it
    summary = render_to_string("partials/error_summary.html", {"form": form})
    for field, message in _messages(form):
        escaped = message.replace("&", "&amp;").replace("'", "&#x27;").replace('"', "&quot;")
        assert escaped in summary, message
        if field != "__all__" and not form[field].is_hidden:
            assert f'href="#{form[field].auto_id}' in summary, field


def test_a_required_field_says_what_to_enter_or_select(world):
    from programmes.forms import ReferralForm

    form = ReferralForm(data={}, **_kwargs(ReferralForm, world))

    assert not form.is_valid()
    assert form.errors["last_name"] == ["Enter the young person's last name"]
    assert form.errors["first_name"] == ["Enter the young person's first name"]
    assert form.errors["programme"] == ["Select programme"]
    assert form.errors["date_of_birth"] == ["Enter date of birth"]


def test_a_value_too_long_or_not_a_number_names_its_field(world):
    from grants.forms import GrantRoundForm

    form = GrantRoundForm(
        data={"fund": "x" * 201, "budget": "lots", "reviewers_per_application": "0"},
        recommendations=[],
    )

    assert not form.is_valid()
    assert form.errors["fund"] == ["Fund must be 200 characters or less"]
    assert form.errors["budget"] == ["Budget must be a number"]
    assert form.errors["reviewers_per_application"] == [
        "Reviewers per application must be 1 or more"
    ]


def test_a_rule_across_fields_is_reported_with_the_field_errors_at_once():
    from evaluation.forms import ExerciseForm

    # no name, and the last day before the first: both in one pass
    form = ExerciseForm(
        data={
            **govuk_date("period_start", "2023-03-31"),
            **govuk_date("period_end", "2022-12-01"),
            "public_slug": "listening-2023",
        }
    )

    assert not form.is_valid()
    assert form.errors["name"] == ["Enter name of the listening exercise"]
    assert form.errors["period_end"] == ["The last day must be on or after the first day."]
    summary = render_to_string("partials/error_summary.html", {"form": form})
    assert '<a href="#id_name">Enter name of the listening exercise</a>' in summary
    assert (
        '<a href="#id_period_end_0">The last day must be on or after the first day.</a>' in summary
    )


def test_a_rule_across_fields_waits_for_the_values_it_needs():
    from vru.forms import GovukDateField, GovukForm

    class Form(GovukForm):
        first = GovukDateField(label="First day")
        last = GovukDateField(label="Last day")

        def clean(self):
            data = super().clean()
            days = self.present("first", "last")
            if days and days[1] < days[0]:
                self.add_error("last", "The last day must be on or after the first day")
            return data

    # the first day is not a real date: the order of the two cannot be judged yet
    form = Form(data={**govuk_date("first", "2026-02-31"), **govuk_date("last", "2026-01-01")})
    assert form.errors == {"first": ["First day must be a real date"]}
    form = Form(data={**govuk_date("first", "2026-02-03"), **govuk_date("last", "2026-01-01")})
    assert form.errors == {"last": ["The last day must be on or after the first day"]}


def test_a_date_that_is_not_real_names_its_field():
    from vru.forms import GovukDateField, GovukForm

    class Form(GovukForm):
        met_on = GovukDateField(label="Date you met")

    form = Form(data=govuk_date("met_on", "2026-02-31"))
    assert form.errors["met_on"] == ["Date you met must be a real date"]
    assert Form(data={}).errors["met_on"] == ["Enter date you met"]


def test_names_come_from_labels_as_gov_uk_writes_them():
    assert error_name_from_label("Last name") == "last name"
    assert error_name_from_label("Spend (£)") == "spend"
    assert error_name_from_label("LSOA codes") == "LSOA codes"
    assert error_name_from_label("Is this application eligible?") == (
        "an answer to “Is this application eligible?”"
    )


def test_a_message_a_form_wrote_itself_is_kept():
    from vru.forms import GovukForm

    class Form(GovukForm):
        code = forms.CharField(label="Code", error_messages={"required": "Enter the code we sent"})

    assert Form(data={}).errors["code"] == ["Enter the code we sent"]


def test_fields_added_when_the_form_is_made_are_named_too(world):
    from programmes.forms import SessionForm

    # a count of young people met that is not a number
    form = SessionForm(data={"count_14-17_male": "many"}, **_kwargs(SessionForm, world))

    assert not form.is_valid()
    (message,) = [m for f, m in _messages(form) if f.startswith("count_")]
    assert message == "14 to 17, male must be a whole number"


def test_a_custom_validators_own_message_is_kept():
    from django.core.exceptions import ValidationError

    from vru.forms import GovukForm

    def no_spaces(value):
        if " " in value:
            raise ValidationError("Write the code without spaces", code="invalid")

    class Form(GovukForm):
        code = forms.CharField(label="Code", validators=[no_spaces])

    assert Form(data={"code": "a b"}).errors["code"] == ["Write the code without spaces"]


# --- Filter forms: the lists' filters (pages and API) ---------------------------------------

FILTER_MODULES = (
    "vru.filters",
    "programmes.filters",
    "grants.filters",
    "evaluation.filters",
    "rights.filters",
)


def filtersets() -> list[type]:
    """Every FilterSet the product defines (its lists' filters, the pages' and the API's)."""
    import django_filters

    found = {}
    for name in FILTER_MODULES:
        module = importlib.import_module(name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if (
                issubclass(cls, django_filters.FilterSet)
                and cls.__module__ == module.__name__
                and cls.base_filters  # not the base class
            ):
                found[f"{cls.__module__}.{cls.__name__}"] = cls
    return [found[key] for key in sorted(found)]


FILTERSETS = filtersets()


def test_the_filter_forms_are_found():
    names = {cls.__name__ for cls in FILTERSETS}
    assert {"ReferralFilter", "SessionFilter", "ApplicationFilter", "LSOAFilter"} <= names


@pytest.mark.parametrize("filterset_class", FILTERSETS, ids=lambda cls: cls.__name__)
def test_a_filter_given_what_it_cannot_take_names_each_field(filterset_class):
    # every filter given a word where it wants a number, a date, a choice or an order
    names = list(filterset_class.base_filters)
    model = filterset_class._meta.model
    filterset = filterset_class(
        dict.fromkeys(names, "not-a-value"),
        # a filter of no model of its own: the contacts and outcomes of a referral
        queryset=(model or Contact).objects.none(),
    )
    form = filterset.form

    assert isinstance(form, GovukErrorsMixin), filterset_class
    assert not form.is_valid()
    for field, message in _messages(form):
        assert not GENERIC.match(message), (field, message)
        name = form.error_name(field)
        assert name.lower() in message.lower(), (field, message)
    # shown the GOV.UK way: the error summary lists each, linked to its field
    summary = render_to_string("partials/error_summary.html", {"form": form})
    for field, message in _messages(form):
        escaped = message.replace("&", "&amp;").replace("'", "&#x27;").replace('"', "&quot;")
        assert escaped in summary, message
        assert f'href="#{form[field].auto_id}' in summary, field


def test_the_api_refuses_a_filter_naming_it(api_client, partnership):
    api_client.force_authenticate(UserFactory(partnership=partnership, roles=[Role.ADMINISTRATOR]))

    response = api_client.get("/api/referrals/", {"source": "carrier-pigeon"})

    assert response.status_code == 400
    assert response.json() == {"source": ["Select source from the list"]}


# --- The admin's add forms: every registered model ------------------------------------------


def _admin_user(partnership):
    user = UserFactory(partnership=partnership, roles=list(Role.values))
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


def _admin_add_urls() -> list[str]:
    from django.contrib import admin

    return sorted(
        f"admin:{model._meta.app_label}_{model._meta.model_name}_add"
        for model in admin.site._registry
    )


ADMIN_ADD_URLS = _admin_add_urls()


def test_every_admin_add_form_is_walked():
    assert len(ADMIN_ADD_URLS) >= 25
    assert "admin:vru_successmeasurevalue_add" in ADMIN_ADD_URLS


@pytest.mark.parametrize("url_name", ADMIN_ADD_URLS, ids=lambda name: name.split(":")[1])
def test_an_admin_add_form_posted_empty_names_each_field(url_name, client, partnership):
    from django.urls import reverse

    client.force_login(_admin_user(partnership))
    url = reverse(url_name)
    page = client.get(url)
    if page.status_code in (403, 404):
        pytest.skip("nothing is added here: the admin shows these records read-only")
    assert page.status_code == 200
    data = {}
    for inline in page.context["inline_admin_formsets"]:
        prefix = inline.formset.prefix
        data[f"{prefix}-TOTAL_FORMS"] = data[f"{prefix}-INITIAL_FORMS"] = "0"

    response = client.post(url, data)

    assert response.status_code == 200, response.status_code
    form = response.context["adminform"].form
    assert form.errors, url_name
    for field, message in _messages(form):
        assert not GENERIC.match(message), (url_name, field, message)
        if field == "__all__":
            continue
        name = form.error_name(field)
        assert name.lower() in message.lower(), (url_name, field, message)


def _admin_import_urls() -> list[str]:
    from django.contrib import admin
    from django.urls import NoReverseMatch, reverse

    found = []
    for model in admin.site._registry:
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}_import"
        try:
            reverse(name)
        except NoReverseMatch:
            continue
        found.append(name)
    return sorted(found)


ADMIN_IMPORT_URLS = _admin_import_urls()


def test_every_admin_import_form_is_walked():
    assert "admin:vru_successmeasurevalue_import" in ADMIN_IMPORT_URLS
    assert "admin:grants_organisation_import" in ADMIN_IMPORT_URLS


@pytest.mark.parametrize("url_name", ADMIN_IMPORT_URLS, ids=lambda name: name.split(":")[1])
def test_an_admin_import_form_posted_empty_names_each_field(url_name, client, partnership):
    from django.urls import reverse

    client.force_login(_admin_user(partnership))

    # nothing chosen (an empty POST is taken for a first visit)
    response = client.post(reverse(url_name), {"format": ""})

    assert response.status_code == 200, response.status_code
    form = response.context["form"]
    assert form.errors, url_name
    for field, message in _messages(form):
        assert not GENERIC.match(message), (url_name, field, message)
        if field != "__all__":
            assert form.error_name(field).lower() in message.lower(), (url_name, field, message)
