"""Benchmark of the claim scrubber: 100,000 generated claims against full-size NCCI tables.

    .venv/bin/python benchmarks/bench_rules.py [--claims 100000] [--pairs 2400000] [--work DIR]

Stages (the first two run in child processes so that they do not count in the peak memory):

1. generate the claims and a practitioner PTP table of realistic size in the official CMS text layout (four files
   `ccipra-v321r0-f1..f4.txt`; the real tables are not mirrored here), once per work folder;
2. build the NCCI knowledge-base section from it and from the real 2026 Q2 MUE and add-on files
   of the data mirror (timed: the one-off build);
3. start-up: open the section and load every table, plus MPFS global days and the code sets
   (from the knowledge base when built, otherwise the test fixture slice), timed;
4. read the claims (written in stage 1: 1-6 lines each, E/M visits, procedures that meet PTP
   pairs, add-ons with and without their primary, units mostly 1) from JSONL in chunks of 10,000
   as `claims check --batch` does; the JSONL parse and the check are timed apart, so claims/s of
   the scrubber is the check alone, and parse + check is the end-to-end rate; findings by rule.

Peak memory is the resident set size high-water mark of the measuring process (stages 3-4).
"""

import argparse
import datetime as dt
import json
import random
import resource
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MIRROR = Path(__import__("os").environ.get("MEDBILL_DATA_MIRROR", "/work/shared/data"))
START = dt.date(2026, 4, 1)
RATIONALES = (
    "Misuse of column two code with column one code",
    "Standards of medical / surgical practice",
    "Mutually exclusive procedures",
    "CPT Manual or CMS manual coding instruction",
    "More extensive procedure",
    "HCPCS/CPT procedure code definition",
)


def practitioner_mue() -> dict[str, int]:
    """Real HCPCS/CPT code numbers with their practitioner MUE values."""
    from medbill.codesets.ncci_mue import read_mue

    _, edits = read_mue(MIRROR / "ncci" / "MCR_MUE_PractitionerServices_Eff_04-01-2026.csv")
    return {e.code: e.value for e in edits}


def codes_universe() -> list[str]:
    """Real HCPCS/CPT code numbers (from the practitioner MUE table), sorted."""
    return sorted(practitioner_mue())


def generate_ptp(folder: Path, pairs: int, seed: int = 4) -> None:
    """A PTP table with the shape of the real one: column-1 codes with many nearby column-2 codes."""
    from medbill.codesets.ncci_ptp import PtpEdit, write_ptp

    rng = random.Random(seed)
    codes = codes_universe()
    em = [c for c in codes if "99202" <= c <= "99499"]
    common = em + [
        c for c in ("36000", "36410", "36591", "69990", "96360", "96365", "96372", "96374") if c in codes
    ]
    mean = 1.12 * pairs / len(codes)  # a few draws repeat a pair and are dropped
    edits: list[PtpEdit] = []
    seen: set[tuple[str, str]] = set()
    for i, col1 in enumerate(codes):
        count = min(int(rng.expovariate(1 / mean)) + 1, 3000)
        for _ in range(count):
            if rng.random() < 0.15:
                col2 = rng.choice(common)
            else:
                col2 = codes[min(len(codes) - 1, max(0, i + int(rng.gauss(0, 400))))]
            if col2 == col1 or (col1, col2) in seen:
                continue
            seen.add((col1, col2))
            effective = dt.date(1996, 1, 1) + dt.timedelta(days=rng.randrange(0, 11000))
            deletion = None
            if rng.random() < 0.2:
                deletion = effective + dt.timedelta(days=rng.randrange(90, 4000))
            indicator = rng.choices((1, 0, 9), weights=(70, 25, 5))[0]
            edits.append(PtpEdit(col1, col2, effective, deletion, indicator, rng.choice(RATIONALES)))
    rng.shuffle(edits)
    edits = sorted(edits[:pairs], key=lambda e: (e.column1, e.column2))
    folder.mkdir(parents=True, exist_ok=True)
    quarter = len(edits) // 4 + 1
    for part in range(4):
        write_ptp(folder / f"ccipra-v321r0-f{part + 1}.txt", edits[part * quarter : (part + 1) * quarter])
    print(f"generated {len(edits):,} PTP pairs over {len(codes):,} codes", file=sys.stderr)


def build_section(work: Path) -> None:
    from medbill.codesets.ncci_section import build_ncci

    files = sorted((work / "ptp").glob("ccipra-*.txt")) + sorted((MIRROR / "ncci").glob("MCR_MUE_*.csv"))
    files += sorted((MIRROR / "ncci").glob("AOC_*.xlsx"))
    target = work / "ncci.sqlite"
    tmp = target.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    started = time.perf_counter()
    conn = sqlite3.connect(tmp)
    with conn:
        counts = build_ncci(conn, files)
    conn.close()
    tmp.replace(target)
    print(json.dumps({"build_seconds": round(time.perf_counter() - started, 1), "rows": counts}))


def load_scrubber(work: Path):  # type: ignore[no-untyped-def]
    """The scrubber with the knowledge base (code sets) when it is built, else the test fixture slice,
    and the NCCI tables of the benchmark section (generated PTP, real MUE and add-on tables)."""
    from medbill.codesets import open_kb
    from medbill.codesets.ncci_section import load_ncci
    from medbill.core.errors import DataError
    from medbill.rules import Scrubber
    from medbill.rules.defaults import load_reference
    from medbill.rules.static import load_static_reference

    try:
        reference = load_reference(open_kb())
        codes = "knowledge base"
    except DataError:
        reference = load_static_reference(REPO / "tests" / "rules" / "fixtures" / "reference.yaml")
        codes = "test fixture slice"
    conn = sqlite3.connect(f"file:{work / 'ncci.sqlite'}?mode=ro", uri=True)
    reference.ncci = load_ncci(conn)
    conn.close()
    if reference.mpfs is None:
        from medbill.rules.global_days import GlobalDaysTable

        reference.mpfs = GlobalDaysTable.from_rvu_files(sorted((MIRROR / "mpfs").glob("PPRRVU*.csv")))
    print(f"code sets from the {codes}", file=sys.stderr)
    return Scrubber(reference).freeze()


def generate_claims(count: int, mue: dict[str, int], seed: int = 7) -> list[dict]:
    """Claims a practice would send: mostly clean, with the usual share of problems (units over the
    MUE on ~3% of lines, pairs that meet PTP edits, add-ons without their primary, E/M without 25)."""
    from medbill.rules.builtin.identifiers import make_npi

    rng = random.Random(seed)
    codes = sorted(code for code, value in mue.items() if value > 0)
    em = ["99212", "99213", "99214", "99215"]
    addons = [("11102", "11103"), ("99291", "99292"), ("64483", "64484")]
    diagnoses = ["E11.9", "I10", "J44.9", "M17.11", "J18.9", "E11.65", "E78.5", "M54.50", "Z23", "N18.30"]
    rare = ["G63", "C61", "N95.1", "E11", "Z00.129"]
    providers = [make_npi(f"1{n:08d}") for n in range(1, 40)]
    claims = []
    for n in range(count):
        day = START + dt.timedelta(days=rng.randrange(0, 80))
        lines = []
        for _ in range(rng.randint(1, 6)):
            roll = rng.random()
            if roll < 0.35:
                procedure, modifiers = rng.choice(em), (["25"] if rng.random() < 0.4 else [])
            elif roll < 0.45:
                primary, addon = rng.choice(addons)
                procedure, modifiers = (addon if rng.random() < 0.5 else primary), []
            else:
                procedure = rng.choice(codes)
                modifiers = [rng.choice(["59", "XS", "RT", "LT", "GA"])] if rng.random() < 0.15 else []
            lines.append(
                {
                    "procedure": procedure,
                    "modifiers": modifiers,
                    "units": mue.get(procedure, 1) + 1 if rng.random() < 0.03 else 1,
                    "charge": f"{rng.randint(20, 900)}.00",
                    "service_date": day.isoformat(),
                    "diagnosis_pointers": [1],
                }
            )
        claims.append(
            {
                "claim_id": f"BENCH-{n:07d}",
                "place_of_service": "11",
                "payer": {"id": "00435", "name": "Medicare Part B (synthetic)", "type": "medicare"},
                "billing_provider": {
                    "npi": "1234567893",
                    "tax_id": "12-3456789",
                    "name": "Benchmark Clinic",
                    "address": {
                        "line1": "1 Main Street",
                        "city": "Springfield",
                        "state": "IL",
                        "zip": "62701-1234",
                    },
                },
                "rendering_provider": {"npi": rng.choice(providers), "last_name": "Synthetic"},
                "subscriber": {
                    "member_id": f"M{n:09d}",
                    "last_name": "Testpatient",
                    "birth_date": f"{rng.randint(1930, 2005)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
                    "sex": rng.choice(["F", "M"]),
                },
                "diagnoses": rng.sample(diagnoses, rng.randint(1, 3))
                + ([rng.choice(rare)] if rng.random() < 0.05 else []),
                "lines": lines,
            }
        )
    return claims


def write_claims(path: Path, count: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        for claim in generate_claims(count, practitioner_mue()):
            out.write(json.dumps(claim) + "\n")


def measure(work: Path, chunk: int = 10_000) -> dict[str, object]:
    """Stream the JSONL claims in chunks: parse a chunk (timed apart), then check it (timed)."""
    from itertools import islice

    from medbill.core.claimfile import iter_jsonl

    started, cpu = time.perf_counter(), time.process_time()
    scrubber = load_scrubber(work)
    startup, startup_cpu = time.perf_counter() - started, time.process_time() - cpu
    ptp = scrubber.reference.ncci.ptp["practitioner"][0]

    today = dt.date(2026, 7, 1)
    by_rule: Counter[str] = Counter()
    count = lines = 0
    parse_seconds = check_seconds = check_cpu = 0.0
    with (work / "claims.jsonl").open(encoding="utf-8") as handle:
        while True:
            block = list(islice(handle, chunk))
            if not block:
                break
            started = time.perf_counter()
            claims = [item.claim for item in iter_jsonl(block) if item.claim is not None]
            parse_seconds += time.perf_counter() - started
            started, cpu = time.perf_counter(), time.process_time()
            for claim in claims:
                for finding in scrubber.check(claim, today=today):
                    by_rule[finding.rule] += 1
            check_seconds += time.perf_counter() - started
            check_cpu += time.process_time() - cpu
            count += len(claims)
            lines += sum(len(c.lines) for c in claims)
    return {
        "claims": count,
        "lines": lines,
        "ptp_pairs": len(ptp),
        "startup_seconds": round(startup, 2),
        "startup_cpu_seconds": round(startup_cpu, 2),
        "check_seconds": round(check_seconds, 2),
        "claims_per_second": round(count / check_seconds),
        "claims_per_cpu_second": round(count / check_cpu),
        "load_average_1min": round(__import__("os").getloadavg()[0], 2),
        "jsonl_parse_claims_per_second": round(count / parse_seconds),
        "parse_and_check_claims_per_second": round(count / (parse_seconds + check_seconds)),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "findings_by_rule": dict(by_rule.most_common()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--pairs", type=int, default=2_400_000)
    parser.add_argument("--work", type=Path, default=REPO / ".cache" / "bench_rules")
    parser.add_argument("--stage", choices=["generate", "build", "measure"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stage == "generate":
        generate_ptp(args.work / "ptp", args.pairs)
        write_claims(args.work / "claims.jsonl", args.claims)
        return
    if args.stage == "build":
        build_section(args.work)
        return
    if args.stage == "measure":
        print(json.dumps(measure(args.work), indent=2))
        return
    me = [
        sys.executable,
        __file__,
        "--work",
        str(args.work),
        "--pairs",
        str(args.pairs),
        "--claims",
        str(args.claims),
    ]
    if not (args.work / "claims.jsonl").exists():
        subprocess.run([*me, "--stage", "generate"], check=True)
    if not (args.work / "ncci.sqlite").exists():
        subprocess.run([*me, "--stage", "build"], check=True)
    subprocess.run([*me, "--stage", "measure"], check=True)


if __name__ == "__main__":
    main()
