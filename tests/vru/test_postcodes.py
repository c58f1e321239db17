"""Where the ONS postcode directory has been imported, the place picker takes a postcode and
gives its neighbourhood; only the partnership's own neighbourhoods, and without the directory
the picker still works. The import is all or nothing, naming the row and column it refuses."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from tests.factories import LocalAuthorityFactory, LSOAFactory
from vru import selectors
from vru.forms import PlaceField
from vru.models import AuditEvent, Postcode, Role
from vru.services import postcodes

pytestmark = pytest.mark.django_db

NSPL = [
    "pcd,pcd2,pcds,dointr,doterm,usertype,oseast1m,osnrth1m,lsoa21cd,msoa21cd",
    "CM1 1AA,CM1  1AA,CM1 1AA,198001,,0,570000,207000,E01021237,E02004484",
    "CM2 9ZZ,CM2  9ZZ,CM2 9ZZ,198001,,0,570500,206000,E01021238,E02004484",
    "LU1 1AA,LU1  1AA,LU1 1AA,198001,,0,508000,221000,E01015800,E02003000",
    "SW1A 1AA,SW1A 1AA,SW1A 1AA,198001,,0,529000,179000,E01004736,E02000977",
]


@pytest.fixture
def places(partnership, other_partnership):
    chelmsford = LocalAuthorityFactory(partnership=partnership, name="Chelmsford")
    luton = LocalAuthorityFactory(partnership=other_partnership, name="Luton")
    return {
        "a": LSOAFactory(local_authority=chelmsford, code="E01021237", name="Chelmsford 001A"),
        "b": LSOAFactory(local_authority=chelmsford, code="E01021238", name="Chelmsford 001B"),
        "luton": LSOAFactory(local_authority=luton, code="E01015800", name="Luton 001A"),
    }


def test_the_import_keeps_the_postcodes_of_held_neighbourhoods_only(places):
    result = postcodes.postcodes_import(actor=None, lines=NSPL)

    assert result == {"read": 4, "kept": 3, "replaced": 0}
    assert dict(Postcode.objects.values_list("postcode", "lsoa__code")) == {
        "CM11AA": "E01021237",
        "CM29ZZ": "E01021238",
        "LU11AA": "E01015800",
    }
    assert AuditEvent.objects.filter(verb="postcodes.imported").count() == 1


def test_a_postcode_gives_its_neighbourhood_in_the_partnership_only(places, user_with_role):
    postcodes.postcodes_import(actor=None, lines=NSPL)
    field = PlaceField(viewer=user_with_role(Role.PRACTITIONER))

    assert field.clean("cm1 1aa") == "E01021237"
    assert field.clean("CM29ZZ") == "E01021238"
    with pytest.raises(ValidationError, match="not a postcode of your partnership"):
        field.clean("LU1 1AA")  # another partnership's
    assert (
        selectors.place_find(viewer=user_with_role(Role.PRACTITIONER), text="SW1A 1AA").count == 0
    )


def test_without_the_directory_a_postcode_is_refused_with_what_to_enter(places, user_with_role):
    field = PlaceField(viewer=user_with_role(Role.PRACTITIONER))
    with pytest.raises(ValidationError, match="postcode directory has not been imported"):
        field.clean("CM1 1AA")
    assert field.clean("Chelmsford 001A") == "E01021237"


def test_a_file_without_the_columns_or_with_a_bad_postcode_changes_nothing(places):
    postcodes.postcodes_import(actor=None, lines=NSPL)
    with pytest.raises(ValidationError, match="Row 1: the header has no a neighbourhood column"):
        postcodes.postcodes_import(actor=None, lines=["pcds,oseast1m", "CM1 1AA,1"])
    bad = [*NSPL[:2], "NOT A CODE,x,NOT A CODE,1,,0,1,1,E01021238,E0"]
    with pytest.raises(ValidationError, match="Row 3, column pcds: ‘NOT A CODE’ is not a postcode"):
        postcodes.postcodes_import(actor=None, lines=bad)
    assert Postcode.objects.count() == 3


def test_the_command_imports_a_file_and_says_how_many_it_kept(places, tmp_path, capsys):
    path = tmp_path / "nspl.csv"
    path.write_text("\ufeff" + "\n".join(NSPL) + "\n", encoding="utf-8")
    call_command("import_postcodes", str(path))
    assert "kept 3" in capsys.readouterr().out
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_postcodes", str(tmp_path / "missing.csv"))
