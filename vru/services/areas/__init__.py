"""Writes about places: factors, indicators, police.uk crime, hotspots, risk runs, profiles.

Split by subject; import through `vru.services` (which re-exports the public names).
"""

from vru.services.areas._common import ASB, POLICE_UK_COLUMNS
from vru.services.areas.crime import (
    MAX_SHARE_OUTSIDE,
    CrimePlan,
    apportion,
    crime_file_import,
    crime_file_plan,
)
from vru.services.areas.crime_jobs import (
    import_checks_expire,
    import_job_cancel,
    import_job_confirm,
    import_job_replaced,
    import_job_restore,
    import_job_restore_problem,
    reviewed_import_job_run,
)
from vru.services.areas.factors import (
    ESSEX_FACTORS,
    FACTOR_SETS,
    PROXY_FACTORS,
    crime_sums,
    factor_set_install,
    factor_values,
)
from vru.services.areas.indicators import (
    IndicatorImportOutcome,
    IndicatorPlan,
    indicator_file_plan,
    indicators_import,
)
from vru.services.areas.maps import area_maps_draw, lsoa_boundaries_set, lsoas_delete
from vru.services.areas.profiles import (
    area_profiles_generate,
    area_profiles_generate_latest,
    harm_weights_load,
)
from vru.services.areas.risk_runs import (
    hotspots_compute,
    hotspots_compute_all,
    risk_run_compute,
    risk_run_create,
    risk_run_make_current,
    risk_run_reproduce,
)

__all__ = [
    "ASB",
    "ESSEX_FACTORS",
    "FACTOR_SETS",
    "MAX_SHARE_OUTSIDE",
    "POLICE_UK_COLUMNS",
    "PROXY_FACTORS",
    "CrimePlan",
    "IndicatorImportOutcome",
    "IndicatorPlan",
    "apportion",
    "area_maps_draw",
    "area_profiles_generate",
    "area_profiles_generate_latest",
    "crime_file_import",
    "crime_file_plan",
    "crime_sums",
    "factor_set_install",
    "factor_values",
    "harm_weights_load",
    "hotspots_compute",
    "hotspots_compute_all",
    "import_checks_expire",
    "import_job_cancel",
    "import_job_confirm",
    "import_job_replaced",
    "import_job_restore",
    "import_job_restore_problem",
    "indicator_file_plan",
    "indicators_import",
    "lsoa_boundaries_set",
    "lsoas_delete",
    "reviewed_import_job_run",
    "risk_run_compute",
    "risk_run_create",
    "risk_run_make_current",
    "risk_run_reproduce",
]
