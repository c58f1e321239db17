"""Reads of the Duty's record, each scoped to the viewer's partnership."""

from duty.selectors.actions import (  # noqa: F401
    action_get,
    action_list,
    action_plan,
    actions_to_tell,
    carry_forward_choices,
    needs_assessment_get,
    previous_needs_assessment,
    rag_by_holder,
    recommendation_choices,
)
from duty.selectors.annual_report import AnnualReport, annual_report  # noqa: F401
from duty.selectors.delivery import DeliveryPicture, delivery_picture  # noqa: F401
from duty.selectors.duty import (  # noqa: F401
    DutyOverview,
    ReadinessComparison,
    duty_holder_get,
    duty_holder_list,
    duty_overview,
    readiness_assessment_list,
    readiness_comparison,
    strategies_due_for_reminder,
    strategy_get,
    strategy_list,
)
from duty.selectors.partners import (  # noqa: F401
    AreaFigures,
    partner_area_figures,
    partner_holder,
)
