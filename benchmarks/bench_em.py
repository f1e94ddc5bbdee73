"""Benchmark: E/M leveling from notes (notes/s, one process) on the MTSamples transcriptions.

    .venv/bin/python benchmarks/bench_em.py [--mirror ../shared/data] [--patient new|established]

Runs `medbill.coding.em.level_from_note` on every non-empty MTSamples note (`mtsamples/mtsamples.csv`
in the mirror), then on a synthetic 1 MB note, and prints throughput, peak resident memory and how
the notes were levelled (most MTSamples notes are not office visits and document neither time nor
MDM elements; those give None).
"""

import argparse
import collections
import csv
import os
import resource
import sys
import time
from pathlib import Path

from medbill.coding import em


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mirror", type=Path, default=Path(os.environ.get("MEDBILL_DATA_MIRROR", "../shared/data")))
    parser.add_argument("--patient", default="established", choices=["new", "established"])
    args = parser.parse_args()
    source = args.mirror / "mtsamples" / "mtsamples.csv"
    if not source.is_file():
        print(f"{source}: not found (give --mirror)", file=sys.stderr)
        return 2
    csv.field_size_limit(10_000_000)
    with source.open(encoding="utf-8", newline="") as handle:
        notes = [row["transcription"] for row in csv.DictReader(handle) if row["transcription"].strip()]

    started = time.perf_counter()
    em.read_note("warm-up: compile the cues")
    warm = time.perf_counter() - started

    levels: collections.Counter[str] = collections.Counter()
    bases: collections.Counter[str] = collections.Counter()
    started = time.perf_counter()
    for note in notes:
        result = em.level_from_note(note, patient=args.patient)
        levels[result.code if result else "none"] += 1
        if result:
            bases[result.basis.value] += 1
    elapsed = time.perf_counter() - started

    big = "Total time 42 minutes. Hypertension, poorly controlled. Ordered CBC. Refilled lisinopril.\n" * 11_000
    started = time.perf_counter()
    em.level_from_note(big, patient=args.patient)
    big_elapsed = time.perf_counter() - started

    chars = sum(len(n) for n in notes)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"cue compilation (first call): {warm * 1000:.0f} ms")
    print(f"notes: {len(notes)} (mean {chars / len(notes):.0f} characters)")
    print(f"time: {elapsed:.2f} s, {len(notes) / elapsed:.0f} notes/s, {elapsed / len(notes) * 1000:.2f} ms/note")
    print(f"1 MB note ({len(big):,} characters): {big_elapsed:.2f} s")
    print(f"peak resident memory: {peak:.0f} MiB")
    print("levels:", dict(sorted(levels.items())))
    print("basis:", dict(sorted(bases.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
