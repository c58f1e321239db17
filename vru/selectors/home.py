"""The home page's figures (neighbourhoods, the current risk run, the needs assessments and
the success measures' headline comparisons), as the viewer may see them.

A viewer who reads the partnership's figures only as protected aggregates (a commissioner)
sees what every viewer of the same partnership and roles sees, after the disclosure control:
those figures are kept in the cache for HOME_FIGURES_SECONDS, so a commissioner's home page
does not work them out again on every view. Staff always get them fresh."""

from django.core.cache import cache

from vru import permissions
from vru.models import User
from vru.selectors.areas import risk_summary
from vru.selectors.measures import success_measure_figures, success_measure_list
from vru.selectors.places import area_summary
from vru.selectors.strategy import strategy_summary

HOME_FIGURES_SECONDS = 5 * 60


def home_figures(*, viewer: User) -> dict:
    if not permissions.sees_suppressed_figures(viewer):
        return _figures(viewer)
    roles = "-".join(sorted(viewer.role_names))
    key = f"vru:home-figures:v1:{viewer.partnership_id}:{roles}"
    figures = cache.get(key)
    if figures is None:
        figures = _figures(viewer)
        cache.set(key, figures, HOME_FIGURES_SECONDS)
    return figures


def _figures(viewer: User) -> dict:
    figures = {}
    if permissions.can_view_areas(viewer):
        figures["areas"] = area_summary(viewer=viewer)
        figures["risk"] = risk_summary(viewer=viewer)
    if permissions.can_view_strategy(viewer):
        figures["strategy"] = strategy_summary(viewer=viewer)
        # each measure's latest comparison the needs assessment makes, naming both periods
        figures["headline_measures"] = [
            measure_figures
            for measure in success_measure_list(viewer=viewer)
            if (measure_figures := success_measure_figures(viewer=viewer, measure=measure)).rows
        ]
    return figures
