"""A sortable table header (every list page's): the link sorts by its column, ascending
first, then toggles; it keeps the other query parameters and drops the page's position; the
column sorted says so to assistive technology (aria-sort). The include and the tag are one."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory

INCLUDE = Template(
    '{% include "partials/sortable_th.html" with label=label key=key current_sort=sort %}'
)
TAG = Template("{% load govuk %}{% govuk_sortable_th label key sort numeric=True %}")


def _render(template, query, sort, label="Due <soon>"):
    request = RequestFactory().get("/list/", query)
    return template.render(
        Context({"request": request, "label": label, "key": "due", "sort": sort})
    )


@pytest.mark.parametrize(
    ("sort", "link", "aria"),
    [
        ("", "sort=due", ""),
        ("due", "sort=-due", ' aria-sort="ascending"'),
        ("-due", "sort=due", ' aria-sort="descending"'),
        ("event", "sort=due", ""),
    ],
)
def test_the_link_sorts_by_the_column_and_toggles_it(sort, link, aria):
    html = _render(INCLUDE, {"reason": "knife", "sort": sort, "page": "3", "cursor": "c"}, sort)

    assert html == (
        f'<th scope="col" class="govuk-table__header"{aria}><a class="govuk-link vru-sort-link"'
        f' href="?reason=knife&amp;{link}">Due &lt;soon&gt;</a></th>'
    )


def test_it_keeps_repeated_parameters_and_the_tag_right_aligns_numbers():
    html = _render(TAG, [("status", "received"), ("status", "closed")], "")

    assert 'class="govuk-table__header govuk-table__header--numeric"' in html
    assert 'href="?status=received&amp;status=closed&amp;sort=due"' in html
