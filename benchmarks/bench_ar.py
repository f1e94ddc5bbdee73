"""Benchmark: charging 10,000 claims and posting their 835 (A/R journal), on SQLite and PostgreSQL.

    .venv/bin/python benchmarks/bench_ar.py [--claims 10000] [--seed 11] [--backend sqlite,postgresql]
        [--postgres-url URL] [--no-tracemalloc]

Setup (not timed): synthetic claims (1-3 lines of payable fee-schedule codes from the knowledge base
of MEDBILL_HOME, 4 claims per synthetic patient, charges above the fee) are adjudicated by the
sandbox payer (`medbill.pricing.sandbox`: fee schedule, CO-45, PR-1 deductible, PR-2 coinsurance;
about 1 line in 20 denied CO-236 through an injected NCCI finding) and written as ONE 835
transaction set with one CLP per claim by the project's X12 835 writer.

Then, per backend, on a fresh database (SQLite: a temporary file; PostgreSQL: a fresh schema,
dropped at the end), each phase runs in its own process so that its peak RSS is its own:

1. charge  - `medbill.services.charges.record_claims` (what `medbill ar charge` does), one transaction;
2. post    - `medbill.services.era.post_remittance_file` (what `medbill ar post-era` does);
3. repost  - the same file again: must be reported as a duplicate and add no entry;
4. (unless --no-tracemalloc) a second database, charged again, posted under tracemalloc for the
   peak of Python allocations (slower; not the timed run).

After posting, the benchmark checks that every claim was posted, no exception was queued and the
journal balances (sum of all postings is zero, no unbalanced entry).
"""

import argparse
import datetime as dt
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

DOS = dt.date(2026, 3, 2)
POSTED_ON = dt.date(2026, 4, 1)
CLAIMS_PER_PATIENT = 4


# --- setup: claims and their 835 -------------------------------------------------------------------


def generate_claims(count: int, seed: int) -> list[Any]:
    from medbill.codesets import open_kb
    from medbill.core.claim import Claim

    rng = random.Random(seed)
    mpfs = open_kb().mpfs
    conn = mpfs._conn  # the benchmark samples the installed tables directly
    codes = [
        r[0]
        for r in conn.execute(
            "SELECT DISTINCT hcpcs FROM mpfs_rvu WHERE status = 'A' AND (modifier IS NULL OR modifier = '') "
            "AND hcpcs GLOB '[0-9][0-9][0-9][0-9][0-9]' AND CAST(hcpcs AS INTEGER) >= 10000 "
            "AND CAST(hcpcs AS INTEGER) < 99500 ORDER BY hcpcs"
        ).fetchall()
    ]
    zips = [r[0] for r in conn.execute("SELECT zip5 FROM mpfs_zip5 ORDER BY zip5 LIMIT 5000").fetchall()]
    claims = []
    for number in range(count):
        patient = number // CLAIMS_PER_PATIENT
        lines = [
            {
                "procedure": code,
                "units": "1",
                "charge": str(Decimal(rng.randint(30000, 400000)) / 100),
                "service_date": (DOS + dt.timedelta(days=number % 20)).isoformat(),
                "place_of_service": "11",
                "diagnosis_pointers": [1],
            }
            for code in rng.sample(codes, rng.randint(1, 3))
        ]
        claims.append(
            Claim.model_validate(
                {
                    "claim_id": f"BENCH{number:06d}",
                    "payer": {"id": "MBSANDBOX", "name": "Sandbox Medicare", "type": "medicare"},
                    "billing_provider": {
                        "npi": "1234567893",
                        "tax_id": "123456789",
                        "name": "Synthetic Clinic",
                        "address": {
                            "line1": "1 Main St",
                            "city": "Town",
                            "state": "ZZ",
                            "zip": rng.choice(zips),
                        },
                    },
                    "subscriber": {
                        "member_id": f"SYN{patient:07d}A",
                        "last_name": f"Patient{patient}",
                        "first_name": "Test",
                        "birth_date": "1950-01-01",
                        "sex": "F",
                        "address": {"line1": "9 Elm St", "city": "Town", "state": "ZZ", "zip": "62704"},
                    },
                    "diagnoses": ["I10"],
                    "place_of_service": "11",
                    "lines": lines,
                }
            )
        )
    return claims


def write_era(claims: list[Any], path: Path) -> dict[str, Any]:
    from medbill.codesets import open_kb
    from medbill.core.findings import Finding, Severity
    from medbill.pricing.sandbox.adjudicate import SandboxConfig, adjudicate_claims
    from medbill.pricing.sandbox.payer import write_remittances

    def scrub(claim: Any) -> list[Finding]:
        # about one line in 20 is denied as an NCCI pair (the real scrubber is not the subject here)
        number = int(claim.claim_id[5:])
        if number % 7 == 3 and len(claim.lines) > 1:
            return [Finding("ncci.ptp", Severity.DENY, "synthetic NCCI pair", lines=(len(claim.lines),))]
        return []

    config = SandboxConfig(deductible=Decimal("257.00"), paid_on=POSTED_ON)
    remittances, decisions = adjudicate_claims(claims, mpfs=open_kb().mpfs, scrub=scrub, config=config)
    text = write_remittances(remittances, config)
    path.write_text(text, encoding="utf-8")
    return {
        "remittances": len(remittances),
        "clp": sum(len(r.claims) for r in remittances),
        "svc": sum(len(c.lines) for r in remittances for c in r.claims),
        "denied_lines": sum(1 for d in decisions for ln in d.lines if ln.denial),
        "paid": str(sum((d.paid for d in decisions), Decimal("0"))),
        "bytes": path.stat().st_size,
    }


# --- the phases, each in its own process ------------------------------------------------------------


def rss_mib() -> float:
    """Peak resident set size of this process so far (VmHWM: unlike ru_maxrss, which Linux carries
    over from the parent through fork and exec, it starts afresh in each phase's process)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:  # pragma: no cover - not Linux
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def phase(name: str, url: str, claims_path: Path, era_path: Path, traced: bool) -> dict[str, Any]:
    import tracemalloc

    from medbill.core.claimfile import read_claims
    from medbill.services.charges import record_claims
    from medbill.services.era import post_remittance_file
    from medbill.storage import open_database

    database = open_database(url)
    result: dict[str, Any] = {"phase": name, "rss_before_mib": round(rss_mib(), 1)}
    try:
        if name == "charge":
            claims = read_claims(claims_path)
            result["rss_before_mib"] = round(rss_mib(), 1)
            started = time.perf_counter()
            recorded = record_claims(database, claims, on=DOS + dt.timedelta(days=20))
            result["seconds"] = time.perf_counter() - started
            result["charged"] = sum(1 for r in recorded if r.action == "charged")
        else:
            if traced:
                tracemalloc.start()
            started = time.perf_counter()
            posted = post_remittance_file(database, era_path, today=POSTED_ON)
            result["seconds"] = time.perf_counter() - started
            if traced:
                result["tracemalloc_peak_mib"] = round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
                tracemalloc.stop()
            result["duplicate"] = all(r.duplicate for r in posted)
            result["posted_claims"] = sum(r.posted_claims for r in posted)
            result["entries"] = sum(r.entries for r in posted)
            result["exceptions"] = sum(len(r.exceptions) for r in posted)
            result["denials"] = sum(r.denials for r in posted)
        with database.reader() as uow:
            result["journal_entries"] = uow.journal.entry_count()
            result["journal_total"] = str(uow.journal.total())
            result["unbalanced_entries"] = len(uow.journal.unbalanced_entries())
    finally:
        database.close()
    result["peak_rss_mib"] = round(rss_mib(), 1)
    return result


def run_phase(name: str, url: str, claims_path: Path, era_path: Path, traced: bool = False) -> dict[str, Any]:
    command = [sys.executable, __file__, "--phase", name, "--url", url]
    command += ["--claims-file", str(claims_path), "--era-file", str(era_path)]
    if traced:
        command.append("--traced")
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


@contextmanager
def fresh_database(backend: str, workdir: Path, postgres_url: str, label: str) -> Iterator[str]:
    from medbill.storage import open_database
    from medbill.storage.testing import fresh_postgres_schema, postgres_unreachable

    def migrated(url: str) -> str:
        database = open_database(url, require_current=False)
        database.upgrade()
        database.close()
        return url

    if backend == "sqlite":
        yield migrated(f"sqlite:///{workdir / f'{label}.db'}")
        return
    reason = postgres_unreachable(postgres_url)
    if reason:
        raise SystemExit(reason)
    with fresh_postgres_schema(postgres_url, prefix="medbill_bench") as url:
        yield migrated(url)


def check(results: dict[str, Any], claims: int) -> None:
    post, repost = results["post"], results["repost"]
    problems = []
    if post["posted_claims"] != claims or post["exceptions"]:
        problems.append(f"posted {post['posted_claims']} of {claims} claims, {post['exceptions']} exceptions")
    if not repost["duplicate"] or repost["journal_entries"] != post["journal_entries"]:
        problems.append("re-posting the same 835 changed the journal")
    if Decimal(post["journal_total"]) != 0 or post["unbalanced_entries"]:
        problems.append(f"journal does not balance: total {post['journal_total']}")
    if problems:
        raise SystemExit("; ".join(problems))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--backend", default="sqlite,postgresql")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get(
            "MEDBILL_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
        ),
    )
    parser.add_argument("--no-tracemalloc", action="store_true")
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--claims-file", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--era-file", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--traced", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        print(json.dumps(phase(args.phase, args.url, args.claims_file, args.era_file, args.traced)))
        return

    with tempfile.TemporaryDirectory(prefix="bench_ar_") as temp:
        workdir = Path(temp)
        started = time.perf_counter()
        claims = generate_claims(args.claims, args.seed)
        claims_path = workdir / "claims.jsonl"
        claims_path.write_text(
            "".join(c.model_dump_json(exclude_none=True) + "\n" for c in claims), encoding="utf-8"
        )
        era_path = workdir / "big.835"
        era = write_era(claims, era_path)
        lines = sum(len(c.lines) for c in claims)
        print(
            f"setup {time.perf_counter() - started:.1f} s: {len(claims)} claims, {lines} lines; 835 of "
            f"{era['bytes'] / 2**20:.1f} MiB, {era['remittances']} transaction set(s), {era['clp']} CLP, "
            f"{era['svc']} SVC, {era['denied_lines']} denied lines, paid {era['paid']}",
            flush=True,
        )
        for backend in args.backend.split(","):
            results: dict[str, Any] = {}
            with fresh_database(backend, workdir, args.postgres_url, "timed") as url:
                for name in ("charge", "post", "repost"):
                    results[name] = run_phase(name, url, claims_path, era_path)
            check(results, len(claims))
            if not args.no_tracemalloc:
                with fresh_database(backend, workdir, args.postgres_url, "traced") as url:
                    run_phase("charge", url, claims_path, era_path)
                    results["traced"] = run_phase("post", url, claims_path, era_path, traced=True)
            charge, post, repost = results["charge"], results["post"], results["repost"]
            print(
                f"{backend}: charge {charge['seconds']:.2f} s ({len(claims) / charge['seconds']:,.0f} claims/s, "
                f"peak RSS {charge['peak_rss_mib']:.0f} MiB); post {post['seconds']:.2f} s "
                f"({post['posted_claims'] / post['seconds']:,.0f} CLP/s, {post['entries']} entries, "
                f"{post['denials']} denials, peak RSS {post['peak_rss_mib']:.0f} MiB, "
                f"{post['rss_before_mib']:.0f} MiB before)"
                + (
                    f", tracemalloc peak {results['traced']['tracemalloc_peak_mib']:.0f} MiB "
                    f"(traced run {results['traced']['seconds']:.1f} s)"
                    if "traced" in results
                    else ""
                )
                + f"; re-post {repost['seconds']:.3f} s (duplicate, nothing posted)",
                flush=True,
            )
    print(f"Python {sys.version.split()[0]}; load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
