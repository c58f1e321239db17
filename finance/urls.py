from django.urls import path

from finance import views

app_name = "finance"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("funding/", views.stream_list, name="stream_list"),
    path("funding/<int:pk>/", views.stream_detail, name="stream_detail"),
    path("spend/new/", views.spend_record, name="spend_record"),
    path("spend/import/", views.spend_import, name="spend_import"),
    path("spend/imports/<int:job_pk>/", views.spend_import_job, name="spend_import_job"),
    path(
        "spend/imports/<int:job_pk>/cancel/",
        views.spend_import_job_cancel,
        name="spend_import_job_cancel",
    ),
    path(
        "spend/imports/<int:job_pk>/undo/",
        views.spend_import_job_restore,
        name="spend_import_job_restore",
    ),
    path("contracts/", views.contract_list, name="contract_list"),
    path("providers/", views.provider_list, name="provider_list"),
    path("providers/<int:pk>/edit/", views.provider_edit, name="provider_edit"),
    path("providers/<int:pk>/staff/", views.provider_staff, name="provider_staff"),
    path(
        "providers/<int:pk>/staff/<int:staff_pk>/remove/",
        views.provider_staff_remove,
        name="provider_staff_remove",
    ),
    path("contracts/new/", views.contract_create, name="contract_create"),
    path("contracts/<int:pk>/edit/", views.contract_edit, name="contract_edit"),
    path("contracts/<int:pk>/kpis/new/", views.kpi_create, name="kpi_create"),
    path("contracts/<int:pk>/kpis/<int:kpi_pk>/edit/", views.kpi_edit, name="kpi_edit"),
    path("contracts/<int:pk>/kpis/<int:kpi_pk>/delete/", views.kpi_delete, name="kpi_delete"),
    path("contracts/<int:pk>/", views.contract_detail, name="contract_detail"),
    path("contracts/<int:pk>/figures/new/", views.kpi_figure_record, name="kpi_figure_record"),
    path("fair-reach/", views.fair_reach, name="fair_reach"),
    path("fair-reach/population/import/", views.population_import, name="population_import"),
    path(
        "fair-reach/population/imports/<int:job_pk>/",
        views.population_import_job,
        name="population_import_job",
    ),
    path(
        "fair-reach/population/imports/<int:job_pk>/cancel/",
        views.population_import_job_cancel,
        name="population_import_job_cancel",
    ),
    path(
        "fair-reach/population/imports/<int:job_pk>/undo/",
        views.population_import_job_restore,
        name="population_import_job_restore",
    ),
    path("returns/", views.return_list, name="return_list"),
    path("returns/<int:pk>/", views.return_detail, name="return_detail"),
    path("returns/<int:pk>/refresh/", views.return_refresh, name="return_refresh"),
    path("returns/<int:pk>/review/", views.return_review, name="return_review"),
    path("returns/<int:pk>/lock/", views.return_lock, name="return_lock"),
    path("returns/<int:pk>/correct/", views.return_correct, name="return_correct"),
    path("returns/<int:pk>/export/", views.return_export, name="return_export"),
    path(
        "returns/<int:pk>/records/<int:programme_pk>/<str:column>/",
        views.return_records,
        name="return_records",
    ),
]
