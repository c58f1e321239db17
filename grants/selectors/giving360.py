"""360Giving export of awarded grants (JSON package and flat CSV).

Schema: grants/schema/360giving/ (360Giving Data Standard 1.4, CC BY 4.0; see SOURCE.md
and LICENSE.md there). Identifiers are "<round's identifier prefix>-<award id>"; the
prefix is configurable per round (360Giving issues each funder a prefix such as
"360G-essexvvp"). Beneficiary locations are the application's LSOAs (geoCodeType "LSOA")
and their local authorities ("NMD" for E07 districts, "UA" for E06 unitaries).
"""

import tablib
from django.db.models import QuerySet

from grants.models import Award
from vru.exports import safe_dataset

LA_CODE_TYPES = {"E06": "UA", "E07": "NMD", "E08": "MD", "E09": "LONB", "E10": "CTY"}
CSV_COLUMNS = [
    "Identifier",
    "Title",
    "Description",
    "Currency",
    "Amount Applied For",
    "Amount Awarded",
    "Award Date",
    "Planned Dates:Start Date",
    "Planned Dates:End Date",
    "Recipient Org:Identifier",
    "Recipient Org:Name",
    "Recipient Org:Charity Number",
    "Recipient Org:Company Number",
    "Recipient Org:Postal Code",
    "Funding Org:Identifier",
    "Funding Org:Name",
    "Grant Programme:Title",
    "Beneficiary Location:Name",
    "Beneficiary Location:Geographic Code",
    "Beneficiary Location:Geographic Code Type",
]


def awards_for_export(awards: QuerySet[Award]) -> QuerySet[Award]:
    return awards.select_related(
        "decision__application__organisation",
        "decision__application__grant_round__partnership",
    ).prefetch_related("decision__application__lsoas__local_authority")


def _org_id(organisation) -> str:
    if organisation.charity_number:
        return f"GB-CHC-{organisation.charity_number}"
    if organisation.company_number:
        return f"GB-COH-{organisation.company_number}"
    return f"{organisation.partnership.slug}-org-{organisation.pk}"


def _locations(application) -> list[dict]:
    out = []
    authorities = {}
    for lsoa in application.lsoas.all():
        out.append(
            {"name": lsoa.name, "geoCode": lsoa.code, "geoCodeType": "LSOA", "countryCode": "GB"}
        )
        authorities[lsoa.local_authority.code] = lsoa.local_authority.name
    for code, name in sorted(authorities.items()):
        entry = {"name": name, "geoCode": code, "countryCode": "GB"}
        if code[:3] in LA_CODE_TYPES:
            entry["geoCodeType"] = LA_CODE_TYPES[code[:3]]
        out.append(entry)
    return out


def grant_record(award: Award) -> dict:
    application = award.decision.application
    grant_round = application.grant_round
    partnership = grant_round.partnership
    organisation = application.organisation
    organisation.partnership = partnership  # same partnership: avoids a query per row
    recipient = {"id": _org_id(organisation), "name": organisation.name}
    if organisation.charity_number:
        recipient["charityNumber"] = organisation.charity_number
    if organisation.company_number:
        recipient["companyNumber"] = organisation.company_number
    if organisation.postcode:
        recipient["postalCode"] = organisation.postcode
    record = {
        "id": f"{grant_round.identifier_prefix}-{award.pk}",
        "title": application.title[:140],
        "description": application.summary,
        "currency": "GBP",
        "amountAppliedFor": float(application.amount_requested or 0),
        "amountAwarded": float(award.amount),
        "awardDate": award.awarded_on.isoformat(),
        "plannedDates": [
            {"startDate": award.starts_on.isoformat(), "endDate": award.ends_on.isoformat()}
        ],
        "recipientOrganization": [recipient],
        "fundingOrganization": [
            {"id": f"{grant_round.identifier_prefix}-funder", "name": partnership.name}
        ],
        "grantProgramme": [{"title": f"{grant_round.fund}: {grant_round.title}"}],
        "beneficiaryLocation": _locations(application),
    }
    return record


def package(awards: QuerySet[Award]) -> dict:
    return {
        "version": "1.4",
        "grants": [grant_record(award) for award in awards_for_export(awards)],
    }


def to_dataset(awards: QuerySet[Award]) -> tablib.Dataset:
    """The flat 360Giving rows. Download them through vru.exports (spreadsheet_response /
    safe_dataset), which escapes any cell a spreadsheet would run as a formula."""
    dataset = tablib.Dataset(headers=CSV_COLUMNS)
    for award in awards_for_export(awards):
        g = grant_record(award)
        recipient = g["recipientOrganization"][0]
        locations = g["beneficiaryLocation"]
        dataset.append(
            [
                g["id"],
                g["title"],
                g["description"],
                g["currency"],
                g["amountAppliedFor"],
                g["amountAwarded"],
                g["awardDate"],
                g["plannedDates"][0]["startDate"],
                g["plannedDates"][0]["endDate"],
                recipient["id"],
                recipient["name"],
                recipient.get("charityNumber", ""),
                recipient.get("companyNumber", ""),
                recipient.get("postalCode", ""),
                g["fundingOrganization"][0]["id"],
                g["fundingOrganization"][0]["name"],
                g["grantProgramme"][0]["title"],
                "; ".join(loc["name"] for loc in locations),
                "; ".join(loc["geoCode"] for loc in locations),
                "; ".join(loc.get("geoCodeType", "") for loc in locations),
            ]
        )
    return dataset


def to_csv(awards: QuerySet[Award]) -> str:
    """The flat CSV, formula-safe (the same bytes as the download)."""
    return safe_dataset(to_dataset(awards)).export("csv")
