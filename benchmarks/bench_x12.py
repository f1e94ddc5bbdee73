"""Benchmark: X12 parse throughput (MB/s) and peak memory, medbill against pyx12, on generated files.

    python benchmarks/bench_x12.py [--size-mb 100] [--small-mb 10] [--pyx12-mb 2] [--workdir DIR]

Generates an 835 and an 837P of ``--size-mb`` (and of ``--small-mb``, to show that memory does not
grow with the file), by repeating transaction sets that medbill's own writers produced from
synthetic claims and remittances, with valid envelope counts. Each measurement runs in a fresh
process so that its peak resident memory (ru_maxrss) is its own:

- medbill: the full read path - lexer, envelopes, guide-driven loops, mapping to `Claim` /
  `Remittance` models and, for the 835, balancing checks (`iter_837`, `iter_835`);
- pyx12 4: `X12ContextReader.iter_segments` over the claim loops (2300 / 2100), its guide-driven
  parse, on a ``--pyx12-mb`` file of the same kind (pyx12 is far slower; the ratio is per MB).
"""

import argparse
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

MB = 1024 * 1024
HERE = Path(__file__).resolve()


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- generation ------------------------------------------------------------------------------------


def _one_set(text: str, transaction: str) -> tuple[list[str], list[str], list[str]]:
    """Split an interchange of one transaction set into (ISA+GS, ST..SE body without ST/SE, GE+IEA)."""
    lines = [line for line in text.split("~\n") if line]
    start = next(i for i, line in enumerate(lines) if line.startswith(f"ST*{transaction}*"))
    end = next(i for i, line in enumerate(lines) if line.startswith("SE*"))
    return lines[:start], lines[start + 1 : end], lines[end + 1 :]


def _replicate(path: Path, text: str, transaction: str, implementation: str, size: int) -> int:
    head, body, _ = _one_set(text, transaction)
    block_body = "".join(f"{line}~\n" for line in body)
    sets = 0
    with path.open("w", encoding="ascii") as out:
        out.write("".join(f"{line}~\n" for line in head))
        written = out.tell()
        while written < size:
            sets += 1
            control = f"{sets:09d}"
            suffix = f"*{implementation}" if implementation else ""
            block = f"ST*{transaction}*{control}{suffix}~\n{block_body}SE*{len(body) + 2}*{control}~\n"
            out.write(block)
            written += len(block)
        group = head[1].split("*")[6]
        isa = head[0].split("*")[13]
        out.write(f"GE*{sets}*{group}~\nIEA*1*{isa}~\n")
    return sets


def generate_837(path: Path, size: int) -> None:
    sys.path.insert(0, str(HERE.parent.parent))
    from tests.x12.conftest import load_claim

    from medbill.x12 import ControlNumberStore, X12Config, write_837

    claims = []
    for name in ("professional_office_visit", "professional_dependent_ndc", "professional_secondary_cob"):
        claim = load_claim(name)
        claims += [
            claim.replace(
                claim_id=f"{claim.claim_id}-{i:04d}", payer=claims[0].payer if claims else claim.payer
            )
            for i in range(300)
        ]
    config = X12Config(
        sender_id="BENCHCLINIC",
        receiver_id="BENCHCH",
        submitter={
            "name": "Bench Clinic",
            "id": "BENCH01",
            "contact": {"name": "Billing", "phone": "5555550100"},
        },
    )
    store = ControlNumberStore(path.with_suffix(".numbers.json"))
    text = write_837(claims, config, store=store, now=dt.datetime(2026, 4, 1))
    _replicate(path, text, "837", "005010X222A1", size)


def generate_835(path: Path, size: int) -> None:
    sys.path.insert(0, str(HERE.parent.parent))
    from tests.x12.test_835 import sandbox_remittance

    from medbill.x12 import ControlNumberStore, X12Config, write_835

    base = sandbox_remittance()
    claims = tuple(c.replace(claim_id=f"{c.claim_id}-{i:04d}") for i in range(200) for c in base.claims)
    paid = sum((c.paid for c in claims), Decimal("0")) - sum(
        (a.amount for a in base.provider_adjustments), Decimal("0")
    )
    remittance = base.replace(claims=claims, payment=base.payment.replace(amount=paid))
    config = X12Config(
        sender_id="BENCHPAYER",
        receiver_id="BENCHCLINIC",
        payer_contact={"name": "EDI", "phone": "8005550100"},
    )
    store = ControlNumberStore(path.with_suffix(".numbers.json"))
    text = write_835([remittance], config, store=store, now=dt.datetime(2026, 4, 1))
    _replicate(path, text, "835", "", size)


# --- measurement (each in its own process) ---------------------------------------------------------


def measure(engine: str, kind: str, path: Path) -> dict[str, float]:
    if engine == "medbill":
        from medbill.x12 import iter_835, iter_837
        from medbill.x12.report import FindingSink

        reader = iter_837 if kind == "837P" else iter_835
        baseline = _rss_mb()
        start = time.perf_counter()
        sink = FindingSink()
        items = 0
        for item in reader(path, sink):
            items += len(item.claims) if kind == "835" else 1
        seconds = time.perf_counter() - start
        problems = len(sink.result())
    else:
        import io
        import logging

        import pyx12.error_handler
        import pyx12.params
        import pyx12.x12context

        logging.getLogger("pyx12").setLevel(logging.CRITICAL)
        baseline = _rss_mb()
        start = time.perf_counter()
        items = 0
        with path.open(encoding="ascii") as stream:
            reader = pyx12.x12context.X12ContextReader(
                pyx12.params.params(), pyx12.error_handler.errh_null(), io.StringIO(stream.read())
            )
            loop = "2300" if kind == "837P" else "2100"
            for node in reader.iter_segments(loop):
                if node.id == loop:
                    items += 1
        seconds = time.perf_counter() - start
        problems = 0
    size = path.stat().st_size / MB
    return {
        "engine": engine,
        "kind": kind,
        "mb": round(size, 1),
        "seconds": round(seconds, 2),
        "mb_per_s": round(size / seconds, 2),
        "claims": items,
        "claims_per_s": round(items / seconds),
        "peak_rss_mb": round(_rss_mb(), 1),
        "rss_before_parse_mb": round(baseline, 1),
        "findings": problems,
    }


def run_measure(engine: str, kind: str, path: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, str(HERE), "--measure", engine, kind, str(path)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size-mb", type=float, default=100)
    parser.add_argument("--small-mb", type=float, default=10)
    parser.add_argument("--pyx12-mb", type=float, default=2)
    parser.add_argument(
        "--workdir", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "medbill-bench-x12"
    )
    parser.add_argument("--measure", nargs=3, metavar=("ENGINE", "KIND", "FILE"))
    args = parser.parse_args()
    if args.measure:
        engine, kind, file = args.measure
        print(json.dumps(measure(engine, kind, Path(file))))
        return
    args.workdir.mkdir(parents=True, exist_ok=True)
    results = []
    for kind, generate in (("835", generate_835), ("837P", generate_837)):
        files = {}
        for label, megabytes in (("big", args.size_mb), ("small", args.small_mb), ("pyx12", args.pyx12_mb)):
            path = args.workdir / f"{kind}-{label}.x12"
            if not path.exists() or path.stat().st_size < megabytes * MB:
                generate(path, int(megabytes * MB))
            files[label] = path
        for label in ("small", "big", "pyx12"):
            results.append(run_measure("medbill", kind, files[label]))
        results.append(run_measure("pyx12", kind, files["pyx12"]))
    print(
        f"{'engine':8} {'kind':5} {'MB':>7} {'s':>8} {'MB/s':>7} {'claims/s':>9} {'peak RSS MB':>12} {'RSS before':>11}"
    )
    for r in results:
        print(
            f"{r['engine']:8} {r['kind']:5} {r['mb']:7.1f} {r['seconds']:8.2f} {r['mb_per_s']:7.2f} "
            f"{r['claims_per_s']:9} {r['peak_rss_mb']:12.1f} {r['rss_before_parse_mb']:11.1f}"
        )
    for kind in ("835", "837P"):
        ours = next(
            r
            for r in results
            if r["engine"] == "medbill" and r["kind"] == kind and r["mb"] >= args.size_mb * 0.99
        )
        theirs = next(r for r in results if r["engine"] == "pyx12" and r["kind"] == kind)
        print(f"{kind}: medbill {ours['mb_per_s']} MB/s on {ours['mb']} MB vs pyx12 {theirs['mb_per_s']} MB/s "
              f"on {theirs['mb']} MB: {ours['mb_per_s'] / theirs['mb_per_s']:.1f}x")  # fmt: skip
    print(json.dumps(results))


if __name__ == "__main__":
    main()
