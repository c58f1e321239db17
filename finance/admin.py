"""Money in the admin, read-only: streams, allocations and spend are written on the money
pages, whose services check, validate and audit (finance.services)."""

from django.contrib import admin

from finance import permissions
from finance.models import Allocation, FundingStream, QuarterlyReturn, QuarterlySpend
from vru.admin import ReadOnlyScopedAdmin


class FinanceAdmin(ReadOnlyScopedAdmin):
    allowed = staticmethod(permissions.can_keep_funding)


@admin.register(FundingStream)
class FundingStreamAdmin(FinanceAdmin):
    list_display = ["funder", "grant_name", "financial_year", "amount", "spend_type"]
    list_filter = ["financial_year", "spend_type"]
    search_fields = ["funder", "grant_name"]


@admin.register(Allocation)
class AllocationAdmin(FinanceAdmin):
    partnership_path = "stream__partnership"
    list_display = ["stream", "programme", "grant_round", "amount"]
    list_filter = ["stream__financial_year"]
    search_fields = ["stream__grant_name", "programme__name", "grant_round__title"]


@admin.register(QuarterlySpend)
class QuarterlySpendAdmin(FinanceAdmin):
    partnership_path = "programme__partnership"
    list_display = ["programme", "financial_year", "quarter", "amount", "recorded_at"]
    list_filter = ["financial_year", "quarter"]
    search_fields = ["programme__name"]


@admin.register(QuarterlyReturn)
class QuarterlyReturnAdmin(FinanceAdmin):
    list_display = ["financial_year", "quarter", "version", "status", "locked_at"]
    list_filter = ["financial_year", "quarter", "status"]
    search_fields = ["correction_reason"]
