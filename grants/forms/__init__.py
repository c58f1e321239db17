"""Grants forms: organisations, applications, the panel's and the officer's, rounds."""

from grants.forms.applications import (  # noqa: F401
    LSOA_CODE,
    YES_NO,
    ApplicationForm,
    AttachmentForm,
    BudgetLineForm,
    BudgetLineFormSet,
    EligibilityForm,
)
from grants.forms.organisations import (  # noqa: F401
    MemberAddForm,
    OrganisationAdminForm,
    OrganisationForm,
)
from grants.forms.panel import (  # noqa: F401
    AssignmentAddForm,
    AssignmentReleaseForm,
    ConflictForm,
    DecisionForm,
    MonitoringReturnForm,
    ScoreForm,
)
from grants.forms.rounds import (  # noqa: F401
    CriterionForm,
    CriterionFormSet,
    GrantRoundAdminForm,
    GrantRoundFields,
    GrantRoundForm,
    PanelMemberForm,
    PanelMemberUpdateForm,
    QuestionForm,
    QuestionFormSet,
)
