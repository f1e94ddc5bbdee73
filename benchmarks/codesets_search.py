"""Knowledge-base benchmark (issue 2): build time and peak memory, search quality, search latency
p50/p95 over 1,000 queries, show/validate latency.

    .venv/bin/python benchmarks/codesets_search.py [--build] [--json]

Needs a built knowledge base (`medbill data build`) with the mirror's releases; `--build` rebuilds it
first in a child process and reports its wall time and peak resident memory.
"""

import argparse
import json
import platform
import random
import resource
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from medbill.codesets import open_kb
from medbill.codesets.evaluation import description_cases, evaluate, table_cases


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def bench_build() -> dict[str, float]:
    medbill = Path(sys.executable).with_name("medbill")
    started = time.perf_counter()
    subprocess.run([str(medbill), "data", "build", "--json"], check=True, capture_output=True)
    seconds = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"build_seconds": round(seconds, 1), "build_peak_rss_mib": round(peak_kib / 1024, 1)}


def bench_search(kb) -> dict[str, float]:  # type: ignore[no-untyped-def]
    descriptions = evaluate(kb, description_cases(kb, n=500))
    tables = evaluate(kb, table_cases(kb, n=300))
    queries = [c.query for c in description_cases(kb, n=700, seed=7)] + [
        c.query for c in table_cases(kb, n=300, seed=7)
    ]
    timings = []
    for query in queries:
        started = time.perf_counter()
        kb.icd10cm.search(query, limit=10)
        timings.append((time.perf_counter() - started) * 1000)
    return {
        "descriptions_top5": round(descriptions.rate, 4),
        "tables_top5": round(tables.rate, 4),
        "search_queries": len(queries),
        "search_p50_ms": round(statistics.median(timings), 2),
        "search_p95_ms": round(percentile(timings, 0.95), 2),
    }


def bench_lookups(kb) -> dict[str, float]:  # type: ignore[no-untyped-def]
    codes = list(kb.icd10cm.codes())
    sample = random.Random(11).sample(codes, 1000)
    out = {}
    for name, call in (("get", kb.icd10cm.get), ("validate", kb.icd10cm.validate)):
        kb.icd10cm._get.cache_clear()
        timings = []
        for code in sample:
            started = time.perf_counter()
            call(code)
            timings.append((time.perf_counter() - started) * 1000)
        out[f"{name}_uncached_p50_ms"] = round(statistics.median(timings), 3)
        out[f"{name}_uncached_p95_ms"] = round(percentile(timings, 0.95), 3)
    started = time.perf_counter()
    for code in sample:
        kb.icd10cm.get(code)
    out["get_cached_mean_ms"] = round((time.perf_counter() - started) / len(sample) * 1000, 4)
    medbill = Path(sys.executable).with_name("medbill")
    started = time.perf_counter()
    subprocess.run([str(medbill), "codes", "show", "E11.65", "--json"], check=True, capture_output=True)
    out["cli_show_wall_ms"] = round((time.perf_counter() - started) * 1000)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--build", action="store_true", help="rebuild the knowledge base first and time it")
    parser.add_argument("--json", action="store_true", help="print JSON only")
    args = parser.parse_args()
    report: dict[str, object] = {
        "date": date.today().isoformat(),
        "machine": f"{platform.machine()}, Python {platform.python_version()}",
    }
    if args.build:
        report.update(bench_build())
    with open_kb() as kb:
        report.update(bench_search(kb))
        report.update(bench_lookups(kb))
    with open("/proc/loadavg") as handle:
        report["load_average_1min"] = float(handle.read().split()[0])
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        for key, value in report.items():
            print(f"{key:28} {value}")


if __name__ == "__main__":
    main()
