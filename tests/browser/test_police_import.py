"""End-to-end: a police.uk upload in Chromium with the real demo data, each page checked with
axe-core. Bedfordshire's January 2019 file uploaded into Essex is refused with the reason;
Essex's own file needs the replacement confirmed, and the import is undone from its page."""

import gzip
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests import demo_rows
from vru import demo
from vru.models import CrimeCount

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DATA = Path(__file__).resolve().parents[2] / "vru" / "demo_data" / "police_uk"


def _file(folder: Path, name: str) -> Path:
    path = folder / name
    path.write_bytes(gzip.decompress((DATA / f"{name}.gz").read_bytes()))
    return path


def _essex_counts() -> list:
    return sorted(
        CrimeCount.objects.filter(partnership__slug="essex-vvp").values_list(
            "lsoa_id", "month", "crime_type", "count"
        )
    )


def test_analyst_is_stopped_from_the_wrong_file_confirms_a_replacement_and_undoes_it(checked):
    demo_rows.load_demo()
    before = _essex_counts()
    page = checked.page
    checked.sign_in("essex.analyst", demo.DEMO_PASSWORD)
    folder = Path(tempfile.mkdtemp())

    # Bedfordshire's file into Essex: refused, with the reason
    checked.goto("/crime-imports/", title="police.uk crime imports")
    page.get_by_label("police.uk street-level crime file").set_input_files(
        _file(folder, "2019-01-bedfordshire-street.csv")
    )
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_text("This file was not imported")).to_be_visible()
    expect(page.get_by_text("This file is from Bedfordshire Police")).to_be_visible()
    checked.check()
    assert _essex_counts() == before

    # Essex's own January again: the check shows what it replaces, the box must be ticked
    checked.goto("/crime-imports/", title="police.uk crime imports")
    page.get_by_label("police.uk street-level crime file").set_input_files(
        _file(folder, "2019-01-essex-street.csv")
    )
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", name="What this file would change")).to_be_visible()
    checked.check()
    checked.expected_failures.add(page.url)  # the form's answer is a 400, with the error
    page.get_by_role("button", name="Replace and import").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    checked.check()
    page.get_by_label("Replace the").check()
    page.get_by_role("button", name="Replace and import").click()
    expect(page.get_by_role("heading", name="rows counted")).to_be_visible()
    checked.check()

    # and undone from its page, after a confirmation
    page.get_by_role("link", name="Undo this import").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Undo the import")
    checked.check()
    page.get_by_role("button", name="Yes, undo the import").click()
    expect(page.get_by_text("Undone on")).to_be_visible()
    checked.check()
    assert _essex_counts() == before
