"""A user names a neighbourhood by its LSOA code, its LSOA name or a place that only one
neighbourhood of their partnership bears; a name matching several, or none, is refused naming
the field and what matched; another partnership's neighbourhoods are never found or offered.
Every page that takes a neighbourhood takes it the same way."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from evaluation.forms import ResponseForm
from grants.forms import ApplicationForm, GrantRoundForm
from programmes.forms import ReferralForm, SessionForm
from programmes.views.correction_forms import ReferralCorrectionForm, SessionCorrectionForm
from tests.factories import LocalAuthorityFactory, LSOAFactory
from tests.test_forms_errors import _kwargs, world  # noqa: F401 (the fixture)
from vru import selectors
from vru.forms import PlaceField
from vru.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def places(partnership, other_partnership):
    chelmsford = LocalAuthorityFactory(partnership=partnership, name="Chelmsford")
    harlow = LocalAuthorityFactory(partnership=partnership, name="Harlow")
    maldon = LocalAuthorityFactory(partnership=partnership, name="Maldon")
    luton = LocalAuthorityFactory(partnership=other_partnership, name="Luton")
    return {
        "chelmsford_1a": LSOAFactory(
            local_authority=chelmsford, code="E01021237", name="Chelmsford 001A"
        ),
        "chelmsford_1b": LSOAFactory(
            local_authority=chelmsford, code="E01021238", name="Chelmsford 001B"
        ),
        "harlow": [
            LSOAFactory(local_authority=harlow, code=f"E0102150{n}", name=f"Harlow 00{n}B")
            for n in range(1, 6)
        ],
        "maldon": LSOAFactory(local_authority=maldon, code="E01021900", name="Maldon 004C"),
        "luton": LSOAFactory(local_authority=luton, code="E01015800", name="Luton 001A"),
    }


@pytest.fixture
def viewer(user_with_role):
    return user_with_role(Role.PRACTITIONER)


def _field(viewer, **kwargs):
    field = PlaceField(viewer=viewer, **kwargs)
    field.error_name = "home neighbourhood"
    return field


def test_a_code_an_lsoa_name_or_a_unique_place_name_gives_the_neighbourhood(places, viewer):
    field = _field(viewer)
    assert field.clean("e01021237") == "E01021237"
    assert field.clean("  chelmsford   001a ") == "E01021237"
    assert field.clean("Maldon") == "E01021900"  # the only neighbourhood of Maldon
    assert (
        selectors.place_find(viewer=viewer, text="Chelmsford 001B").lsoa
        == (places["chelmsford_1b"])
    )


def test_a_name_matching_several_is_refused_naming_the_field_and_what_matched(places, viewer):
    with pytest.raises(ValidationError) as refused:
        _field(viewer).clean("Harlow")
    message = refused.value.messages[0]
    assert message.startswith("‘Harlow’ matches 5 neighbourhoods: type more of home neighbourhood")
    assert "‘Harlow 001B’" in message


def test_an_unknown_place_is_refused_naming_the_field(places, viewer):
    with pytest.raises(ValidationError) as refused:
        _field(viewer).clean("Atlantis")
    assert refused.value.messages == [
        "Enter home neighbourhood as an LSOA code, an LSOA name or a place in your "
        "partnership: ‘Atlantis’ matches no neighbourhood"
    ]


def test_another_partnerships_neighbourhood_is_never_found(places, viewer):
    assert selectors.place_find(viewer=viewer, text="E01015800").lsoa is None
    assert selectors.place_find(viewer=viewer, text="Luton 001A").count == 0
    assert selectors.place_find(viewer=viewer, text="Luton").count == 0
    with pytest.raises(ValidationError):
        _field(viewer).clean("Luton 001A")


def test_several_places_by_comma_or_codes_by_space(places, viewer):
    field = _field(viewer, many=True)
    assert field.clean("E01021237 E01021900, Chelmsford 001B, chelmsford 001a") == [
        "E01021237",
        "E01021900",
        "E01021238",
    ]
    with pytest.raises(ValidationError) as refused:
        field.clean("Maldon, Harlow, Atlantis")
    assert len(refused.value.messages) == 2


def test_suggestions_are_the_partnerships_own_and_at_most_ten(
    client, places, viewer, other_partnership, user_with_role
):
    for n in range(12):
        LSOAFactory(local_authority=places["maldon"].local_authority, name=f"Maldon 1{n:02d}A")
    client.force_login(viewer)
    url = reverse("vru:place_suggest")
    results = client.get(url, {"q": "maldon"}).json()["results"]
    assert len(results) == 10
    assert results[0] == {"code": "E01021900", "name": "Maldon 004C", "local_authority": "Maldon"}
    assert client.get(url, {"q": "chelm 001"}).json()["results"] == []
    names = [r["name"] for r in client.get(url, {"q": "001A"}).json()["results"]]
    assert names == ["Chelmsford 001A"]  # not Luton 001A, of another partnership
    assert client.get(url, {"q": "E0101580"}).json()["results"] == []
    client.force_login(user_with_role(Role.PRACTITIONER, partnership=other_partnership))
    assert [r["name"] for r in client.get(url, {"q": "001A"}).json()["results"]] == ["Luton 001A"]


def test_signed_out_gets_no_suggestions(client, places):
    response = client.get(reverse("vru:place_suggest"), {"q": "Maldon"})
    assert response.status_code == 302


DOORS = [
    (ReferralForm, "home_lsoa"),
    (ReferralCorrectionForm, "home_lsoa"),
    (SessionForm, "lsoa"),
    (SessionCorrectionForm, "lsoa"),
    (ApplicationForm, "lsoa_codes"),
    (GrantRoundForm, "target_lsoa_codes"),
    (ResponseForm, "lsoa"),
]


@pytest.mark.parametrize(("form_class", "name"), DOORS, ids=[d[0].__name__ for d in DOORS])
def test_every_door_refuses_an_ambiguous_place_the_same_way(world, places, form_class, name):  # noqa: F811
    kwargs = _kwargs(form_class, world)  # as each page passes them: the user is the viewer
    form = form_class(data={name: "Harlow"}, **kwargs)
    form.is_valid()
    assert any("‘Harlow’ matches 5 neighbourhoods" in e for e in form.errors.get(name, [])), (
        form.errors.get(name)
    )


def test_a_listening_response_takes_its_neighbourhood_by_name(world, places):  # noqa: F811
    kwargs = _kwargs(ResponseForm, world)
    form = ResponseForm(data={"lsoa": "maldon 004c"}, **kwargs)
    form.is_valid()
    assert "lsoa" not in form.errors
    assert form.cleaned_data["lsoa"] == places["maldon"]


SQUARE = {"type": "Polygon", "coordinates": [[[0.4, 51.7], [0.5, 51.7], [0.5, 51.8], [0.4, 51.7]]]}


def test_the_map_offers_the_partnerships_own_local_authorities_then_draws_one(
    client, places, viewer
):
    for lsoa in [places["chelmsford_1a"], places["chelmsford_1b"], places["luton"]]:
        lsoa.boundary = SQUARE
        lsoa.save(update_fields=["boundary"])

    authorities, drawn = selectors.place_map(viewer=viewer, local_authority_code="")
    assert [a.name for a in authorities] == ["Chelmsford", "Harlow", "Maldon"]
    assert drawn is None

    chelmsford = places["chelmsford_1a"].local_authority.code
    _, drawn = selectors.place_map(viewer=viewer, local_authority_code=chelmsford)
    assert [a.code for a in drawn.areas] == ["E01021237", "E01021238"]

    luton = places["luton"].local_authority.code
    assert selectors.place_map(viewer=viewer, local_authority_code=luton)[1] is None

    client.force_login(viewer)
    body = client.get(reverse("vru:place_map"), {"local_authority": chelmsford}).content.decode()
    assert 'data-place-code="E01021237"' in body
    assert "Luton" not in body


def test_a_box_for_one_place_offers_the_map_and_a_box_for_several_does_not(viewer):
    one = _field(viewer).widget.attrs
    several = _field(viewer, many=True).widget.attrs
    assert one["data-place-map"] == reverse("vru:place_map")
    assert "data-place-multiple" not in one
    assert "data-place-multiple" in several
