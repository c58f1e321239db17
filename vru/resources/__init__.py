"""Import and export formats (django-import-export) for the core's reference data.

Each resource is bound to one partnership, so a file can only ever touch that partnership's
records. Rows are fully validated (model validators and constraints) before anything is saved;
`vru.services.import_rows` decides whether to save (all or nothing, or only the valid rows).
"""

from vru.resources.areas import (  # noqa: F401
    AreaIndicatorResource,
    AreaProfileResource,
    CrimeImportResource,
    HotspotResource,
    LSOAResource,
    RiskRunResource,
    RiskScoreResource,
)
from vru.resources.base import (  # noqa: F401
    LIST_SEPARATOR,
    DayWidget,
    PartnershipForeignKeyWidget,
    PipeListWidget,
    ScopedResource,
    YesNoWidget,
)
from vru.resources.strategy import (  # noqa: F401
    ComparisonKindWidget,
    RecommendationResource,
    SuccessMeasureComparisonResource,
    SuccessMeasureValueResource,
    ValueByPeriodWidget,
)
