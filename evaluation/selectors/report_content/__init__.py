"""What an impact report says: one builder function per section, in ``SECTIONS``.

Each builder takes the ``ReportScope`` and returns a section, a plain dict that goes into
``ImpactReport.content`` as it will be published::

    {"key": "headlines", "title": "Headline outputs", "blocks": [block, ...]}

Blocks are generic, so the web page (templates/evaluation/reports/blocks/<type>.html) and the
PDF (evaluation/services/report_pdf.py) draw any section without knowing it:

- ``{"type": "paragraph", "text": ...}``
- ``{"type": "headlines", "items": [{"key", "figure", "text", "value", "link"}]}``
- ``{"type": "table", "id", "caption", "headers", "rows", "foot", "numeric", "highlight"}``
- ``{"type": "bar_chart", "id", "caption", "labels", "values", "shown", "unit"}``
  (drawn as a chart with its data table beside it). ``values[i]`` is None when the value is
  hidden and ``shown[i]`` is the text to show ("<5", "[c]" or the formatted number); the web
  page and the PDF draw a None as a gap labelled with ``shown[i]``, never as a bar
- ``{"type": "map", "id", "caption", "areas": [{"code", "name", "band", "shown",
  "is_priority"}], "legend": [[colour, label], ...]}``

To add a section, write ``def build_x(scope: ReportScope) -> dict`` and append
``("Its title", build_x)`` to ``SECTIONS``.

Rules every builder keeps: aggregates are computed in the database; counts of people go
through vru.disclosure (adjusted, then "<5" and "[c]") before they are stored,
so the snapshot never holds a hidden value; no name, reference or free-text note about a
young person is ever read here.
"""

from collections.abc import Callable

from evaluation.selectors.report_content.evaluation import build_evaluation
from evaluation.selectors.report_content.outputs import build_headlines, grant_reach_by_organisation
from evaluation.selectors.report_content.places import build_reach, map_bands
from evaluation.selectors.report_content.scope import ReportScope
from evaluation.selectors.report_content.strategy import build_coverage, build_success_measures
from evaluation.selectors.report_content.voice import build_method, build_voice

Builder = Callable[[ReportScope], dict]

# The report, in order. Each entry is (progress step label, builder). Append to add one.
SECTIONS: list[tuple[str, Builder]] = [
    ("Headline outputs", build_headlines),
    ("Reach in priority neighbourhoods", build_reach),
    ("Coverage of the needs assessment", build_coverage),
    ("Success measures", build_success_measures),
    ("Young people's voice", build_voice),
    ("Evaluation findings and outcomes", build_evaluation),
    ("About these figures", build_method),
]

__all__ = [
    "SECTIONS",
    "Builder",
    "ReportScope",
    "build_coverage",
    "build_evaluation",
    "build_headlines",
    "build_method",
    "build_reach",
    "build_success_measures",
    "build_voice",
    "grant_reach_by_organisation",
    "map_bands",
]
