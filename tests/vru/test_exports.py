import pytest
import tablib

from vru.exports import safe_cell, spreadsheet_response


def test_formula_like_text_is_escaped_and_numbers_are_not():
    assert safe_cell('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert safe_cell("+cmd") == "'+cmd"
    assert safe_cell("@SUM(A1)") == "'@SUM(A1)"
    assert safe_cell("\t=1") == "'\t=1"
    assert safe_cell("-9") == "-9"
    assert safe_cell("-0.291") == "-0.291"
    assert safe_cell("Basildon 001A") == "Basildon 001A"
    assert safe_cell(-9) == -9


def test_a_csv_download_carries_the_escaped_cells():
    dataset = tablib.Dataset(["E01000001", "=1+1"], headers=["code", "name"])

    response = spreadsheet_response(dataset, file_stem="lsoas", file_format="csv")

    assert response["Content-Disposition"] == 'attachment; filename="lsoas.csv"'
    assert response.content.decode().splitlines()[1] == "E01000001,'=1+1"


def test_imports_refuse_exactly_what_exports_escape():
    from django.core.exceptions import ValidationError

    from vru.services.imports import check_cells

    for cell in ["=1+1", "+cmd", "@SUM(A1)", "-1e5", "-inf", "-1_000", "-x"]:
        assert safe_cell(cell) == "'" + cell
        with pytest.raises(ValidationError):
            check_cells(header=["a"], rows=[[cell]])
    for cell in ["-9", "-0.291", "+3.5", "Basildon 001A"]:
        assert safe_cell(cell) == cell
        check_cells(header=["a"], rows=[[cell]])
