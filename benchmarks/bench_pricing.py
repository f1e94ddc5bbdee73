"""Benchmark: pricing throughput (lines/s) in one process, on generated claims and the real tables.

    .venv/bin/python benchmarks/bench_pricing.py [--claims 5000] [--seed 7] [--source kb|files]
        [--mirror ../shared/data]

`--source kb` (default) prices from the knowledge base of MEDBILL_HOME (`medbill data build`);
`--source files` loads the official files of the mirror into an in-memory section.

Claims are synthetic: each has 1-6 lines drawn from the payable (status A) codes of the installed
RVU file, with modifiers where the code allows them (26/TC, 50, 80, 62), 1-3 units, a place of
service from a realistic mix, and a ZIP code drawn from the ZIP5 file. Loading the tables is timed
separately from pricing.
"""

import argparse
import datetime as dt
import os
import random
import resource
import sys
import time
from decimal import Decimal
from pathlib import Path

from medbill.codesets.mpfs_section import Mpfs, mpfs_files
from medbill.core.claim import Claim
from medbill.pricing import price_claim

POS_MIX = ["11"] * 6 + ["22", "21", "24", "19", "23", "02", "10", "31"]


def generate(mpfs: Mpfs, count: int, seed: int) -> list[Claim]:
    rng = random.Random(seed)
    on = dt.date(2026, 3, 2)
    conn = mpfs._conn  # the benchmark samples the installed tables directly
    rows = conn.execute(
        "SELECT hcpcs, modifier, pctc, bilateral, assistant, co_surgeon FROM mpfs_rvu WHERE status = 'A'"
    ).fetchall()
    zips = [r[0] for r in conn.execute("SELECT zip5 FROM mpfs_zip5").fetchall()]
    claims = []
    for number in range(count):
        lines = []
        for _ in range(rng.randint(1, 6)):
            code, modifier, _pctc, bilateral, assistant, co_surgeon = rng.choice(rows)
            modifiers = [modifier] if modifier else []
            if bilateral == "1" and rng.random() < 0.1:
                modifiers.append("50")
            elif assistant == "2" and rng.random() < 0.05:
                modifiers.append("80")
            elif co_surgeon == "2" and rng.random() < 0.05:
                modifiers.append("62")
            lines.append(
                {
                    "procedure": code,
                    "modifiers": modifiers,
                    "units": str(rng.choice([1, 1, 1, 2, 3])),
                    "charge": str(Decimal(rng.randint(2000, 500000)) / 100),
                    "service_date": on + dt.timedelta(days=rng.randint(0, 60)),
                    "place_of_service": rng.choice(POS_MIX),
                }
            )
        claims.append(
            Claim.model_validate(
                {
                    "claim_id": f"BENCH-{number}",
                    "payer": {"id": "MCR", "name": "Medicare", "type": "medicare"},
                    "billing_provider": {
                        "npi": "1234567893",
                        "tax_id": "123456789",
                        "name": "Synthetic Clinic",
                        "address": {"line1": "1 Way", "city": "Town", "state": "ZZ", "zip": rng.choice(zips)},
                    },
                    "subscriber": {"member_id": f"SYN{number}", "last_name": "Test", "birth_date": "1950-01-01"},
                    "diagnoses": ["I10"],
                    "lines": lines,
                }
            )
        )
    return claims


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--source", choices=("kb", "files"), default="kb")
    parser.add_argument("--mirror", type=Path, default=Path(os.environ.get("MEDBILL_DATA_MIRROR", "../shared/data")))
    args = parser.parse_args()

    started = time.perf_counter()
    if args.source == "kb":
        from medbill.codesets import open_kb

        mpfs = open_kb().mpfs
        what = "knowledge base opened"
    else:
        mpfs = Mpfs.from_files(mpfs_files(args.mirror / "mpfs"))
        what = "MPFS files (RVU, GPCI, localities, ANES, ZIP5) loaded into SQLite in memory"
    load_seconds = time.perf_counter() - started
    claims = generate(mpfs, args.claims, args.seed)
    line_count = sum(len(c.lines) for c in claims)

    started = time.perf_counter()
    allowed = Decimal("0")
    for claim in claims:
        priced, _ = price_claim(claim, kb=mpfs)
        allowed += priced.total_allowed
    seconds = time.perf_counter() - started
    rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{what} in {load_seconds:.2f} s")
    print(f"priced {args.claims} claims / {line_count} lines in {seconds:.2f} s")
    print(f"{line_count / seconds:,.0f} lines/s, {args.claims / seconds:,.0f} claims/s; total allowed {allowed}")
    print(f"peak RSS {rss_mib:.0f} MiB; Python {sys.version.split()[0]}")


if __name__ == "__main__":
    main()
