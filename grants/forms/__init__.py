"""Grants forms: rounds and applications, organisations."""

from grants.forms.organisations import (  # noqa: F401
    MemberAddForm,
    OrganisationAdminForm,
    OrganisationForm,
)
from grants.forms.rounds_and_applications import (  # noqa: F401
    LSOA_CODE,
    YES_NO,
    ApplicationForm,
    AssignmentAddForm,
    AssignmentReleaseForm,
    AttachmentForm,
    BudgetLineForm,
    BudgetLineFormSet,
    ConflictForm,
    CriterionForm,
    CriterionFormSet,
    DecisionForm,
    EligibilityForm,
    GrantRoundAdminForm,
    GrantRoundFields,
    GrantRoundForm,
    MonitoringReturnForm,
    PanelMemberForm,
    PanelMemberUpdateForm,
    QuestionForm,
    QuestionFormSet,
    ScoreForm,
)
