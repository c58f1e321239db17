"""The population of each local authority by ethnic group, age and sex (the ONS Census 2021
ethnic group by age table) as a reviewed import of area data: checked first (nothing
written), imported once confirmed, undone from its page. The job's life is the core's
(vru.services.areas.crime_jobs, registered through vru.import_kinds in FinanceConfig.ready).

All or nothing: one bad row refuses the whole file, every bad row listed by its row number
(the header is row 1), its column and the reason.

Columns (docs/finance.md, "Importing the population"): local_authority_code, age (a single
year 0 to 100, a reach band or "all ages"), sex (female, male or all persons), ethnic_group
(an ONS 2021 high-level group, or White split into White British and other White), observation
(people); optional year (2021 if empty) and source. Single years are added up into the reach
bands. A file replaces every stored figure of the local authorities and years it gives;
undoing it puts them back.
"""

from collections import defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from finance import permissions
from finance.models import ALL_AGES, PopulationEthnicGroup, PopulationFigure, PopulationSex
from vru.age_bands import AgeBand, band_of
from vru.import_kinds import Checked, ImportKind
from vru.models import ImportJob, ImportSnapshot, LocalAuthority, Partnership, User
from vru.services import imports as core_imports
from vru.services import outbox, workbooks

COLUMNS = ("local_authority_code", "age", "sex", "ethnic_group", "observation", "year", "source")
REQUIRED = COLUMNS[:5]
DEFAULT_YEAR = 2021
DEFAULT_SOURCE = "ONS Census 2021, ethnic group by age and sex"
DOES_NOT_APPLY = "does not apply"


def _words(text: str) -> str:
    return " ".join(str(text).replace(",", " ").replace(":", " ").lower().split())


# what each ethnic_group cell may say: our values, the ONS 2021 labels and short names
ETHNIC_GROUPS = {
    **{_words(value): value for value in PopulationEthnicGroup.values},
    **{_words(label): value for value, label in PopulationEthnicGroup.choices},
    "white british": PopulationEthnicGroup.WHITE_BRITISH,
    "white other": PopulationEthnicGroup.WHITE_OTHER,
    "asian": PopulationEthnicGroup.ASIAN,
    "black": PopulationEthnicGroup.BLACK,
    "mixed": PopulationEthnicGroup.MIXED,
    "other": PopulationEthnicGroup.OTHER,
}
SEXES = {
    "female": PopulationSex.FEMALE,
    "male": PopulationSex.MALE,
    "all persons": PopulationSex.ALL,
    "all": PopulationSex.ALL,
}
BANDS = {
    **{_words(value): str(value) for value in AgeBand.values},
    **{_words(label): str(value) for value, label in AgeBand.choices},
    "all ages": ALL_AGES,
    "all": ALL_AGES,
    "total": ALL_AGES,
}


@transaction.atomic
def population_import_job_create(
    *, actor: User | None, partnership: Partnership, file_name: str, content: bytes
) -> ImportJob:
    """Queue a population table to be checked; nothing changes until someone confirms."""
    if actor is not None and not (
        permissions.can_import_population(actor) and actor.partnership_id == partnership.pk
    ):
        raise PermissionDenied("You cannot import area data into this partnership.")
    workbooks.check_upload(file_name=file_name, content=content)
    job = ImportJob(
        partnership=partnership,
        created_by=actor,
        kind=ImportJob.Kind.POPULATION,
        file_name=file_name[:255],
        content=content,
    )
    job.full_clean(exclude=["content"])
    job.save()
    outbox.enqueue(kind=core_imports.IMPORT_JOB_RUN, target_id=job.pk, partnership=partnership)
    return job


def may_review(user: User, job: ImportJob) -> bool:
    return permissions.can_import_population(user)


def _age(value) -> str | None:
    """A reach band from a single year ("15", "Aged 15 years"), the ONS's youngest and oldest
    categories ("Aged 4 years and under", "Aged 100 years and over"), a range inside one reach
    band ("Aged 5 to 9 years"), a reach band's value or name, or all ages; None when it is
    none of these or does not fall in one band."""
    text = _words(value if value is not None else "")
    if text.endswith(".0"):
        text = text[:-2]
    text = text.removeprefix("aged ")
    for suffix in (" years", " year"):
        text = text.replace(suffix, "")
    if text.isdigit() and int(text) <= 100:
        return band_of(int(text))
    low, _, high = text.partition(" to ")
    if low.isdigit() and high.isdigit() and int(low) <= int(high) <= 100:
        band = band_of(int(low))
        return band if band == band_of(int(high)) else None  # a range across two bands
    head, _, tail = text.partition(" and ")
    if head.isdigit() and tail == "under":
        return str(AgeBand.UNDER_10) if int(head) <= 9 else None
    if head.isdigit() and tail == "over":
        return str(AgeBand.OVER_24) if int(head) >= 25 else None
    return BANDS.get(text)


def _people(value) -> int | None:
    text = str(value if value is not None else "").strip().replace(",", "")
    if text.endswith(".0"):
        text = text[:-2]
    return int(text) if text.isdigit() else None


def _year(value) -> int | None:
    text = str(value if value is not None else "").strip().removesuffix(".0")
    if not text:
        return DEFAULT_YEAR
    return int(text) if text.isdigit() and 1991 <= int(text) <= 2100 else None


def _cell(headers, raw) -> dict:
    return dict(zip(headers, raw, strict=False))


def parse_rows(job: ImportJob) -> tuple[dict, list[dict], int]:
    """(figures, errors, rows read): figures keyed (local authority id, year, age band, sex, ethnic
    group) -> [people, source]; each error {"row", "column", "message"}. Reads only."""
    dataset = core_imports.read_table(file_name=job.file_name, content=bytes(job.content))
    headers = list(dataset.headers or [])
    missing = [name for name in REQUIRED if name not in headers]
    if missing:
        return (
            {},
            [
                {
                    "row": 1,
                    "column": name,
                    "message": f"The header has no {name} column (columns: {', '.join(COLUMNS)}).",
                }
                for name in missing
            ],
            0,
        )
    areas = {
        la.code.upper(): la.pk
        for la in LocalAuthority.objects.filter(partnership_id=job.partnership_id)
    }
    figures: dict[tuple, list] = {}
    errors, seen, rows_read = [], {}, 0
    kinds: dict[tuple, dict[str, tuple[bool, int]]] = defaultdict(dict)
    for number, raw in enumerate(dataset, start=2):
        if not core_imports.has_values(raw):
            continue
        rows_read += 1
        cell = _cell(headers, raw)
        if _words(cell.get("ethnic_group") or "") == DOES_NOT_APPLY:
            continue  # the ONS tables' row for people outside the question: always 0
        found = []
        code = str(cell.get("local_authority_code") or "").strip().upper()
        area = areas.get(code)
        if area is None:
            found.append(
                (
                    "local_authority_code",
                    f"{code!r} is not the ONS code of one of this partnership's local authorities."
                    if code
                    else "Enter the local authority's ONS code (e.g. E06000055).",
                )
            )
        age = _age(cell.get("age"))
        if age is None:
            found.append(
                (
                    "age",
                    "Enter a single year of age (0 to 100), a range inside one reach band "
                    "(under 10, 10 to 13, 14 to 17, 18 to 24, 25 and over), or 'all ages'.",
                )
            )
        sex = SEXES.get(_words(cell.get("sex") or ""))
        if sex is None:
            found.append(("sex", "Enter Female, Male or All persons."))
        group = ETHNIC_GROUPS.get(_words(cell.get("ethnic_group") or ""))
        if group is None:
            found.append(
                (
                    "ethnic_group",
                    "Enter an ONS 2021 high-level ethnic group (Asian, Black, Mixed, White, "
                    "Other), or White British / White other.",
                )
            )
        people = _people(cell.get("observation"))
        if people is None:
            found.append(("observation", "Enter the number of people, a whole number 0 or more."))
        year = _year(cell.get("year"))
        if year is None:
            found.append(("year", "Enter the census year (e.g. 2021), or leave it empty."))
        source = str(cell.get("source") or "").strip() or DEFAULT_SOURCE
        if len(source) > 200:
            found.append(("source", "The source is longer than 200 characters."))
        if not found:
            raw_key = (area, year, _words(cell.get("age")), sex, group)
            if raw_key in seen:
                found.append(("age", f"Row {seen[raw_key]} already gives this figure."))
            else:
                seen[raw_key] = number
            # one way of cutting each dimension per local authority and year, or the
            # figures would count people twice
            cuts = kinds[(area, year)]
            for column, whole in (
                ("age", age == ALL_AGES),
                ("sex", sex == PopulationSex.ALL),
                ("ethnic_group", group == PopulationEthnicGroup.WHITE),
            ):
                if column == "ethnic_group" and group not in {
                    PopulationEthnicGroup.WHITE,
                    PopulationEthnicGroup.WHITE_BRITISH,
                    PopulationEthnicGroup.WHITE_OTHER,
                }:
                    continue
                before = cuts.setdefault(column, (whole, number))
                if before[0] != whole:
                    found.append(
                        (
                            column,
                            f"Row {before[1]} gives this local authority's {column.replace('_', ' ')} "
                            "cut another way (a total beside its parts): give one or the other.",
                        )
                    )
        if found:
            errors += [{"row": number, "column": c, "message": m} for c, m in found]
            continue
        key = (area, year, age, str(sex), str(group))
        figures.setdefault(key, [0, source])[0] += people
    return figures, errors, rows_read


def _digest(figures: dict) -> str:
    return core_imports.digest("|".join(map(str, (*key, *value))) for key, value in figures.items())


def _replaced(job: ImportJob, figures: dict):
    scopes = {(key[0], key[1]) for key in figures}
    stored = PopulationFigure.objects.none()
    for area, year in scopes:
        stored = stored | PopulationFigure.objects.filter(
            partnership_id=job.partnership_id, local_authority_id=area, year=year
        )
    return stored


def population_import_check(job: ImportJob) -> Checked:
    figures, errors, rows_read = parse_rows(job)
    names = dict(LocalAuthority.objects.values_list("pk", "name"))
    preview = {
        "rows_read": rows_read,
        "figures": len(figures),
        "people": sum(value[0] for value in figures.values()),
        "local_authorities": sorted({names.get(key[0], "") for key in figures}),
        "years": sorted({key[1] for key in figures}),
        "sources": sorted({value[1] for value in figures.values()}),
        "figures_replaced": _replaced(job, figures).count() if figures else 0,
        "digest": _digest(figures),
    }
    if errors:
        return Checked(preview, errors)  # all or nothing: one bad row refuses the file
    return Checked(preview)


STALE = "The file or the local authorities changed after it was checked: nothing was imported."


def _as_row(figure: PopulationFigure) -> list:
    return [
        figure.local_authority_id,
        figure.year,
        figure.age_band,
        figure.sex,
        figure.ethnic_group,
        figure.people,
        figure.source,
        figure.synthetic,
    ]


def population_import_apply(job: ImportJob, actor: User | None, prepared: None) -> int:
    """Replace the figures of the file's local authorities and years (inside the
    machinery's transaction), keeping those it replaced."""
    figures, errors, _rows_read = parse_rows(job)
    if errors or _digest(figures) != job.preview.get("digest"):
        raise ValidationError(STALE, code="stale_check")
    replaced = _replaced(job, figures)
    kept = [_as_row(figure) for figure in replaced]
    replaced.delete()
    PopulationFigure.objects.bulk_create(
        PopulationFigure(
            partnership_id=job.partnership_id,
            local_authority_id=area,
            year=year,
            age_band=age,
            sex=sex,
            ethnic_group=group,
            people=people,
            source=source,
            import_job=job,
        )
        for (area, year, age, sex, group), (people, source) in figures.items()
    )
    ImportSnapshot.objects.create(
        job=job,
        scope={"scopes": sorted({(key[0], key[1]) for key in figures})},
        rows=kept,
    )
    return len(figures)


def _scopes(snapshot: ImportSnapshot) -> set[tuple]:
    return {tuple(scope) for scope in snapshot.scope.get("scopes", [])}


def population_import_overlap(snapshot: ImportSnapshot, later: ImportSnapshot) -> list[str]:
    names = dict(LocalAuthority.objects.values_list("pk", "name"))
    both = _scopes(snapshot) & _scopes(later)
    return [f"{names.get(area, area)} {year}" for area, year in sorted(both)]


def population_import_restore(snapshot: ImportSnapshot) -> dict:
    job = snapshot.job
    removed, _ = PopulationFigure.objects.filter(import_job=job).delete()
    PopulationFigure.objects.bulk_create(
        PopulationFigure(
            partnership_id=job.partnership_id,
            local_authority_id=area,
            year=year,
            age_band=age,
            sex=sex,
            ethnic_group=group,
            people=people,
            source=source,
            synthetic=synthetic,
        )
        for area, year, age, sex, group, people, source, synthetic in snapshot.rows
    )
    return {"figures_removed": removed, "figures_put_back": len(snapshot.rows)}


POPULATION_IMPORTS = ImportKind(
    verb="population_import",
    check=population_import_check,
    apply=population_import_apply,
    restore=population_import_restore,
    overlap=population_import_overlap,
    may_review=may_review,
)
