"""Spreadsheets are checked before they are opened: the same hostile file through every import
door (the upload pages, the admin's import, the commands) is refused quickly, with a message
naming the limit, and writes nothing.

What a tester found: a 2.9 MB XLSX unpacking to 741 MB held a web worker until it was killed
(and a Celery worker for four minutes, growing to 303 MB); an XLSX declaring A1:E2 but holding
3 million rows imported 1 row and reported success; a police.uk file with only its header row
was accepted and listed as an import.

The files are made here, small: the limits are set low for these tests.
"""

import gzip
import io
import time
import zipfile
from xml.sax.saxutils import escape

import pytest
import tablib
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from evaluation.models import FeedbackResponse
from programmes.models import Referral
from tests.evaluation.factories import ListeningExerciseFactory
from tests.factories import LocalAuthorityFactory, LSOAFactory, ProgrammeFactory
from vru.models import LSOA, AreaIndicator, CrimeCount, CrimeImport, ImportJob, Role
from vru.services import read_table, workbooks

pytestmark = pytest.mark.django_db

KB = 1024
# the limits of these tests: a background import's, and the smaller ones of a web request
BACKGROUND = workbooks.Limits(unpacked_bytes=256 * KB, rows=200)
WAITING = workbooks.Limits(unpacked_bytes=128 * KB, rows=100)


@pytest.fixture(autouse=True)
def small_limits(settings):
    settings.VRU_MAX_IMPORT_UNPACKED_BYTES = BACKGROUND.unpacked_bytes
    settings.VRU_MAX_IMPORT_ROWS = BACKGROUND.rows
    settings.VRU_MAX_WAITING_IMPORT_UNPACKED_BYTES = WAITING.unpacked_bytes
    settings.VRU_MAX_WAITING_IMPORT_ROWS = WAITING.rows


# --- hostile files ------------------------------------------------------------------------

_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="rels" ContentType="application/'
        'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
        '"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName='
        '"/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.worksheet+xml"/></Types>'
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
        'schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.'
        'org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" '
        'r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
        'schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
        'Target="worksheets/sheet1.xml"/></Relationships>'
    ),
}


def row_xml(number: int, values) -> str:
    cells = "".join(f'<c t="inlineStr"><is><t>{escape(str(v))}</t></is></c>' for v in values)
    return f'<row r="{number}">{cells}</row>'


def xlsx(rows_xml: str, *, dimension: str | None = None) -> bytes:
    """A workbook of one sheet holding these rows, compressed as hard as zip can."""
    declared = f'<dimension ref="{dimension}"/>' if dimension else ""
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.'
        f'org/spreadsheetml/2006/main">{declared}<sheetData>{rows_xml}</sheetData></worksheet>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in {**_PARTS, "xl/worksheets/sheet1.xml": sheet}.items():
            archive.writestr(name, text)
    return out.getvalue()


def bomb(header: list[str]) -> bytes:
    """A zip bomb: one huge row repeated, 2 MB of sheet in a file of a few kilobytes."""
    huge = row_xml(2, ["A" * 1000] * len(header))[len('<row r="2">') :]
    return xlsx(row_xml(1, header) + ("<row>" + huge) * (2_000 // len(header) + 1))


def oversize_declaration(header: list[str]) -> bytes:
    """Declares A1:E2 and holds 300 rows (more than the 200 the limit allows)."""
    rows = [row_xml(1, header)] + [row_xml(n, ["1"] * len(header)) for n in range(2, 302)]
    return xlsx("".join(rows), dimension="A1:E2")


def header_only_xlsx(header: list[str]) -> bytes:
    return xlsx(row_xml(1, header), dimension=f"A1:{chr(64 + len(header))}1")


def header_only_csv(header: list[str]) -> bytes:
    return (",".join(header) + "\r\n").encode()


def rows_csv(header: list[str], rows: int) -> bytes:
    return ("\r\n".join([",".join(header)] + [",".join("1" * len(header))] * rows)).encode()


def many_rows_csv(header: list[str]) -> bytes:
    return rows_csv(header, 300)


UNPACKED = "unpacks to"
TOO_MANY_ROWS = "rows; the most this import accepts is"
NO_ROWS = "no rows below its header"

# (file, name, what the refusal says, refused before anything is kept)
HOSTILE = {
    "zip bomb": (bomb, "file.xlsx", UNPACKED, True),
    "declares A1:E2, holds 300 rows": (oversize_declaration, "file.xlsx", TOO_MANY_ROWS, False),
    "header only (XLSX)": (header_only_xlsx, "file.xlsx", NO_ROWS, True),
    "header only (CSV)": (header_only_csv, "file.csv", NO_ROWS, True),
    "300 rows (CSV)": (many_rows_csv, "file.csv", TOO_MANY_ROWS, False),
}

POLICE = [
    "Crime ID",
    "Month",
    "Reported by",
    "Falls within",
    "Longitude",
    "Latitude",
    "Location",
    "LSOA code",
    "LSOA name",
    "Crime type",
    "Last outcome category",
    "Context",
]
INDICATORS = ["lsoa_code", "factor", "period", "period_start", "value", "source"]
REFERRALS = ["first_name", "last_name", "date_of_birth", "reason", "event_at"]
RESPONSES = ["date", "venue", "local_authority_code", "lsoa_code", "age_band", "question", "words"]
LSOAS = ["code", "name", "lsoa11_code", "local_authority_code", "population", "imd_score"]


# --- the doors ----------------------------------------------------------------------------


@pytest.fixture
def world(partnership, user_with_role, client):
    authority = LocalAuthorityFactory(partnership=partnership, code="E07000066")
    LSOAFactory(partnership=partnership, local_authority=authority, code="E01021000")
    client.force_login(user_with_role(Role.ADMINISTRATOR))
    return {
        "partnership": partnership,
        "programme": ProgrammeFactory(partnership=partnership),
        "exercise": ListeningExerciseFactory(partnership=partnership),
    }


def _page(url: str, job_kind: str, **fields):
    def send(client, world, name, content, capture):
        data = {key: value.format(**world) for key, value in fields.items()}
        with capture(execute=True):
            response = client.post(
                url.format(**world), {"file": SimpleUploadedFile(name, content), **data}
            )
        if response.status_code != 302:
            return response.text
        job = ImportJob.objects.filter(kind=job_kind).latest("pk")  # checked in Celery
        assert job.status == ImportJob.Status.FAILED, job.status
        return " ".join(e["message"] for e in job.row_errors)

    return send


def _admin(client, world, name, content, capture):
    response = client.post(
        "/admin/vru/lsoa/import/",
        {
            "import_file": SimpleUploadedFile(name, content),
            "format": "1" if name.endswith(".xlsx") else "0",
            "resource": "0",
        },
    )
    assert response.status_code == 200
    assert not response.context.get("confirm_form")
    return response.text


def _command(*arguments):
    def run(client, world, name, content, capture, tmp_path):
        path = tmp_path / name
        path.write_bytes(content)
        out, err = io.StringIO(), io.StringIO()
        values = {
            "slug": world["partnership"].slug,
            "programme": world["programme"].pk,
            "file": str(path),
        }
        last = ImportJob.objects.order_by("pk").last()
        with capture(execute=True):
            try:
                call_command(*[a.format(**values) for a in arguments], stdout=out, stderr=err)
            except CommandError as refused:
                return f"{refused} {err.getvalue()}"
        # a command that queues a job (which a worker runs once it is committed)
        job = ImportJob.objects.order_by("pk").last()
        assert job != last, out.getvalue()
        assert job.status == ImportJob.Status.FAILED, out.getvalue()
        return " ".join(e["message"] for e in job.row_errors)

    return run


DOORS = {
    "police.uk page": (_page("/crime-imports/", ImportJob.Kind.POLICE_UK), POLICE),
    "indicator page": (_page("/area-indicators/", ImportJob.Kind.AREA_INDICATORS), INDICATORS),
    "referral page": (
        _page(
            "/programmes/referrals/import/", ImportJob.Kind.REFERRALS, programme="{programme.pk}"
        ),
        REFERRALS,
    ),
    "listening page": (
        _page(
            "/evaluation/listening/{exercise.pk}/responses/import/",
            ImportJob.Kind.LISTENING_RESPONSES,
        ),
        RESPONSES,
    ),
    "admin import": (_admin, LSOAS),
    "import_police_uk": (_command("import_police_uk", "{file}", "--partnership={slug}"), POLICE),
    "import_area_indicators": (
        _command("import_area_indicators", "{file}", "--partnership={slug}"),
        INDICATORS,
    ),
    "import_referrals": (
        _command("import_referrals", "{file}", "--programme={programme}"),
        REFERRALS,
    ),
    "import_area_data": (
        _command("import_area_data", "lsoas", "{file}", "--partnership={slug}"),
        LSOAS,
    ),
}
POLICE_DOORS = {"police.uk page", "import_police_uk"}  # police.uk files are CSV


def written() -> dict:
    return {
        "lsoas": LSOA.objects.count(),
        "indicators": AreaIndicator.objects.count(),
        "crime counts": CrimeCount.objects.count(),
        "crime imports": CrimeImport.objects.count(),
        "referrals": Referral.objects.count(),
        "responses": FeedbackResponse.objects.count(),
        "jobs kept": ImportJob.objects.exclude(status=ImportJob.Status.FAILED).count(),
    }


@pytest.mark.parametrize(
    ("door", "hostile"),
    [
        (door, hostile)
        for door in DOORS
        for hostile in HOSTILE
        if not (door in POLICE_DOORS and HOSTILE[hostile][1].endswith(".xlsx"))
    ],
)
def test_the_same_hostile_file_is_refused_at_every_door_naming_the_limit_and_writing_nothing(
    door, hostile, world, client, tmp_path, django_capture_on_commit_callbacks
):
    send, header = DOORS[door]
    make, name, says, at_the_door = HOSTILE[hostile]
    content = make(header)
    assert len(content) < 64 * KB  # small files: the danger is what they unpack to
    before = written()
    jobs_before = ImportJob.objects.count()
    args = (client, world, name, content, django_capture_on_commit_callbacks)
    if door.startswith("import_"):
        args = (*args, tmp_path)
    else:
        client.get("/admin/vru/lsoa/import/" if door == "admin import" else "/crime-imports/")

    started = time.perf_counter()
    said = send(*args)
    took = time.perf_counter() - started

    assert says in said, said
    if says != NO_ROWS:
        limits = WAITING if door == "admin import" else BACKGROUND
        most = (
            workbooks.size_label(limits.unpacked_bytes) if says == UNPACKED else f"{limits.rows:,}"
        )
        assert f"the most this import accepts is {most}" in said, said
    assert written() == before
    if at_the_door:
        assert ImportJob.objects.count() == jobs_before  # no record of a refused file
    assert took < 5.0  # the first request of a run included; real sizes: docs/imports.md


# --- what the checks find -----------------------------------------------------------------


def test_a_sheet_declaring_fewer_rows_than_it_holds_is_read_whole():
    rows = [row_xml(1, ["a", "b"])] + [row_xml(n, [n, "x"]) for n in range(2, 152)]
    content = xlsx("".join(rows), dimension="A1:B2")
    assert len(tablib.Dataset().load(content, format="xlsx")) == 1  # what a reader trusts

    dataset = read_table(file_name="file.xlsx", content=content)

    assert len(dataset) == 150
    assert dataset[-1] == ("151", "x")


def test_rows_are_counted_by_their_numbers_as_a_reader_fills_the_gaps():
    content = xlsx(row_xml(1, ["a"]) + row_xml(100_000, ["far down"]))

    with pytest.raises(ValidationError, match="more than 200 rows"):
        read_table(file_name="file.xlsx", content=content)


@pytest.mark.parametrize(
    "cell",
    [
        '<c r="XFD1" t="inlineStr"><is><t>x</t></is></c>',
        '<c r = "AAA1" t="inlineStr"><is><t>x</t></is></c>',
        '<c r="&#65;AA1" t="inlineStr"><is><t>x</t></is></c>',  # seen only by the reader
    ],
)
def test_cells_past_column_zz_are_refused(cell):
    content = xlsx(f'<row r="1">{cell}</row>' + row_xml(2, ["y"]))

    with pytest.raises(ValidationError, match="beyond column ZZ"):
        read_table(file_name="file.xlsx", content=content)


def test_a_bomb_is_refused_from_the_archive_directory_without_unpacking_it():
    content = bomb(INDICATORS)

    with pytest.raises(ValidationError) as refused:
        workbooks.check_upload(file_name="file.xlsx", content=content)

    assert refused.value.messages[0].startswith("The file unpacks to 2.")
    assert "MB; the most this import accepts is 256 KB." in refused.value.messages[0]


def test_a_gzip_bomb_is_refused_by_the_police_command(world, tmp_path):
    path = tmp_path / "2019-01-essex-street.csv.gz"
    path.write_bytes(gzip.compress(",".join(POLICE).encode() + b"\n" + b" " * (2 * 1024 * KB)))

    with pytest.raises(CommandError, match="unpacks to more than"):
        call_command("import_police_uk", str(path), f"--partnership={world['partnership'].slug}")
    assert CrimeImport.objects.count() == 0


def test_the_admin_reads_with_the_smaller_limits_of_a_web_request(world, client):
    content = rows_csv(LSOAS, 150)  # more than a web request's 100, fewer than the 200

    text = _admin(client, world, "file.csv", content, None)

    assert "the most this import accepts is 100" in text
