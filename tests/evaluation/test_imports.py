import pytest

from evaluation import services
from evaluation.models import FeedbackResponse, SafeguardingAlert
from tests.evaluation.factories import FeedbackResponseFactory, ListeningExerciseFactory
from tests.factories import LocalAuthorityFactory
from vru import services as core_services
from vru.models import Role

pytestmark = pytest.mark.django_db

HEADER = "date,venue,local_authority_code,age_band,gender,question,words,may_be_quoted,safeguarding_concern,themes"


def _dataset(*rows):
    content = "\n".join([HEADER, *rows]).encode()
    return core_services.read_table(file_name="responses.csv", content=content)


@pytest.fixture
def exercise(partnership):
    LocalAuthorityFactory(partnership=partnership, code="E07000066", name="Basildon")
    return ListeningExerciseFactory(partnership=partnership)


def test_a_file_with_one_bad_row_imports_nothing_and_names_each_bad_row(exercise, user_with_role):
    outcome = services.responses_import(
        actor=user_with_role(Role.ANALYST),
        exercise=exercise,
        dataset=_dataset(
            "2023-01-10,Club,E07000066,14 to 15,Girl or young woman,Q,Lights,yes,no,Trusted adults",
            "2023-01-11,Club,E06000032,14 to 15,,Q,Lights,no,no,",
            "2023-01-12,Club,E07000066,fifteen,,Q,Lights,no,no,Flying cars",
        ),
    )

    assert FeedbackResponse.objects.count() == 0
    assert outcome.imported_rows == 0
    assert sorted({(e.row, e.column) for e in outcome.errors}) == [
        (3, "local_authority_code"),
        (4, "age_band"),
        (4, "themes"),
    ]
    assert "fifteen" in next(e.message for e in outcome.errors if e.column == "age_band")


def test_only_the_valid_rows_are_imported_when_asked(exercise, user_with_role):
    outcome = services.responses_import(
        actor=user_with_role(Role.ANALYST),
        exercise=exercise,
        dataset=_dataset(
            "2023-01-10,Club,E07000066,14_15,,Q,Lights,yes,no,Trusted adults | Awareness raising",
            "2023-01-11,Club,E07000066,14_15,,Q,,no,no,",
        ),
        skip_invalid_rows=True,
    )

    assert outcome.imported_rows == 1
    assert [e.row for e in outcome.errors] == [3]
    response = FeedbackResponse.objects.get()
    assert sorted(response.themes.values_list("name", flat=True)) == [
        "Awareness raising",
        "Trusted adults",
    ]


def test_imported_safeguarding_concerns_raise_alerts(exercise, user_with_role):
    services.responses_import(
        actor=user_with_role(Role.ANALYST),
        exercise=exercise,
        dataset=_dataset("2023-01-10,Club,E07000066,16_17,,Q,Worrying words,no,yes,"),
    )

    assert SafeguardingAlert.objects.count() == 1


def test_the_export_imports_again_unchanged(exercise, user_with_role, client):
    analyst = user_with_role(Role.ANALYST)
    # an import refuses a cell like this (tests/test_import_fuzzing.py); typed into the form
    # it is kept as the young person's words, and the export must still not run it
    FeedbackResponseFactory(
        exercise=exercise,
        words="=HYPERLINK(1)",
        themes=[exercise.themes.get(name="Trusted adults")],
    )
    client.force_login(analyst)

    exported = client.get(f"/evaluation/listening/{exercise.pk}/responses/?format=csv")

    assert exported.status_code == 200
    text = exported.content.decode()
    assert ",'=HYPERLINK(1)," in text  # shown as text, never run as a formula
    assert "Trusted adults" in text
