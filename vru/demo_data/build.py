"""Rebuild the demo reference data from the public datasets it is made of.

Usage (from the repository root):

    python vru/demo_data/build.py SOURCE

SOURCE is a folder holding the public datasets named in ATTRIBUTION.md, laid out as
lsoa/lsoa11_lsoa21_lad22_lookup.csv (ONS lookup), population/lsoa21_population_mid2022.csv
(ONS mid-2022 estimates), imd2025/imd2025_england_lsoa21.csv (MHCLG IoD 2025) and
boundaries/lsoa21/<LAD>.geojson (ONS LSOA boundaries, December 2021).

Writes local_authorities.csv, lsoas.csv and lsoa_boundaries.json next to this
file. Only the standard library is used so the provenance can be reproduced
without installing the project. See ATTRIBUTION.md for sources and licences.
"""

import argparse
import csv
import json
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent

# Our project's grouping of the 17 local authorities into the two VRU partnerships.
PARTNERSHIPS = {
    "essex-vvp": [
        "E07000066",
        "E07000067",
        "E07000068",
        "E07000069",
        "E07000070",
        "E07000071",
        "E07000072",
        "E07000073",
        "E07000074",
        "E07000075",
        "E07000076",
        "E07000077",
        "E06000033",
        "E06000034",
    ],
    "bedfordshire-veru": ["E06000055", "E06000056", "E06000032"],
}
LA_PARTNERSHIP = {code: p for p, codes in PARTNERSHIPS.items() for code in codes}
# The police force area of every local authority of a partnership (ONS LAD to CSP to PFA
# lookup), as police.uk names the force in its files.
POLICE_FORCE = {"essex-vvp": "Essex Police", "bedfordshire-veru": "Bedfordshire Police"}

# 5 decimal places of a degree is about 1 m: ample for generalised boundaries
# and roughly halves the file size.
COORD_DECIMALS = 5
MIN_RING_POSITIONS = 4  # GeoJSON: a closed linear ring needs at least 4 positions


def read_csv(path):
    # Several source files start with a UTF-8 BOM; utf-8-sig strips it if present.
    with open(path, newline="", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def write_csv(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def round_ring(ring):
    out = []
    for x, y, *_ in ring:
        pt = [round(x, COORD_DECIMALS), round(y, COORD_DECIMALS)]
        # Rounding can make neighbouring vertices identical; drop the repeats.
        if not out or pt != out[-1]:
            out.append(pt)
    if out[0] != out[-1]:
        out.append(out[0])
    # Never let de-duplication degrade a ring below a valid one.
    if len(out) < MIN_RING_POSITIONS:
        out = [[round(x, COORD_DECIMALS), round(y, COORD_DECIMALS)] for x, y, *_ in ring]
    return out


def round_geometry(geom):
    if geom["type"] == "Polygon":
        coords = [round_ring(r) for r in geom["coordinates"]]
    elif geom["type"] == "MultiPolygon":
        coords = [[round_ring(r) for r in poly] for poly in geom["coordinates"]]
    else:
        raise ValueError(f"unexpected geometry type {geom['type']}")
    return {"type": geom["type"], "coordinates": coords}


def build(source, out_dir):
    lookup = read_csv(source / "lsoa" / "lsoa11_lsoa21_lad22_lookup.csv")
    population = {
        r["lsoacd"]: r["population"].strip()
        for r in read_csv(source / "population" / "lsoa21_population_mid2022.csv")
    }
    imd = {r["lsoa21_code"]: r for r in read_csv(source / "imd2025" / "imd2025_england_lsoa21.csv")}

    # --- local authorities -------------------------------------------------
    la_names = {}
    for r in lookup:
        la_names.setdefault(r["LAD22CD"], r["LAD22NM"])
    missing = set(LA_PARTNERSHIP) - set(la_names)
    extra = set(la_names) - set(LA_PARTNERSHIP)
    if missing or extra:
        sys.exit(f"lookup local authorities differ: missing {missing}, extra {extra}")
    la_rows = [
        # One CSP per local authority; the name is a generated label, not official.
        [
            LA_PARTNERSHIP[code],
            code,
            la_names[code],
            f"{la_names[code]} Community Safety Partnership",
            POLICE_FORCE[LA_PARTNERSHIP[code]],
        ]
        for code in sorted(la_names, key=lambda c: (LA_PARTNERSHIP[c], c))
    ]
    write_csv(
        out_dir / "local_authorities.csv",
        ["partnership", "code", "name", "csp_name", "police_force"],
        la_rows,
    )

    # --- LSOAs -------------------------------------------------------------
    # A 2021 LSOA that came from several 2011 LSOAs (a merge, CHGIND "M", or an
    # irregular "X" change) has no single parent, so its lsoa11_code stays empty.
    parents = defaultdict(set)
    info = {}
    for r in lookup:
        parents[r["LSOA21CD"]].add(r["LSOA11CD"])
        info[r["LSOA21CD"]] = r
    change_counts = defaultdict(int)
    for r in lookup:
        change_counts[r["CHGIND"]] += 1

    stats = defaultdict(int)
    lsoa_rows = []
    for code in sorted(info):
        r = info[code]
        p = parents[code]
        single_parent = len(p) == 1 and r["CHGIND"] in ("U", "S")
        if not single_parent:
            stats["no single 2011 parent"] += 1
        pop = population.get(code, "")
        i = imd.get(code, {})
        score = (i.get("IMD_score") or "").strip()
        decile = (i.get("IMD_decile") or "").strip()
        stats["missing population"] += not pop
        stats["missing imd_score"] += not score
        stats["missing imd_decile"] += not decile
        lsoa_rows.append(
            [
                code,
                r["LSOA21NM"],
                next(iter(p)) if single_parent else "",
                r["LAD22CD"],
                pop,
                score,
                decile,
            ]
        )
    write_csv(
        out_dir / "lsoas.csv",
        [
            "code",
            "name",
            "lsoa11_code",
            "local_authority_code",
            "population",
            "imd_score",
            "imd_decile",
        ],
        lsoa_rows,
    )

    # --- boundaries --------------------------------------------------------
    geoms = {}
    for path in sorted((source / "boundaries" / "lsoa21").glob("*.geojson")):
        with open(path, encoding="utf-8-sig") as f:
            fc = json.load(f)
        for feat in fc["features"]:
            geoms[feat["properties"]["LSOA21CD"]] = round_geometry(feat["geometry"])
    if set(geoms) != set(info):
        sys.exit("boundary LSOA codes differ from the lookup's LSOA21 codes")
    with open(out_dir / "lsoa_boundaries.json", "w", encoding="utf-8") as f:
        json.dump({code: geoms[code] for code in sorted(geoms)}, f, separators=(",", ":"))

    sys.stdout.write(
        f"local_authorities.csv: {len(la_rows)} rows\n"
        f"lsoas.csv: {len(lsoa_rows)} rows; "
        f"lookup CHGIND counts {dict(sorted(change_counts.items()))}; "
        f"{dict(stats)}\n"
        f"lsoa_boundaries.json: {len(geoms)} geometries, "
        f"{(out_dir / 'lsoa_boundaries.json').stat().st_size:,} bytes\n"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "source", type=Path, help="folder of the public datasets (see the usage above)"
    )
    parser.add_argument(
        "--out", type=Path, default=HERE, help="output folder (default: this folder)"
    )
    args = parser.parse_args()
    build(args.source.resolve(), args.out)


if __name__ == "__main__":
    main()
