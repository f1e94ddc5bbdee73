"""Benchmark of the coding engine: notes/s on the 250 CodiEsp dev notes (English), one process, rules
only and with the learned model, with peak memory; optionally the training time of the model.

    .venv/bin/python benchmarks/bench_coding.py [--split DIR] [--model PATH | --train]

- `--split`: a CodiEsp split folder (default `$MEDBILL_DATA_MIRROR/codiesp/dev`).
- the model: `--model PATH`, else the installed one (`medbill coding train`); `--train` trains a
  fresh one from the sibling `train` split into a temporary file first (timed, in a child process).

Each mode runs in its own child process so that the peak resident memory (RSS high-water mark) is
that mode's alone: start-up (open the knowledge base, build the dictionary, load the model), then
every note of the split coded once (inpatient setting, as `medbill eval codiesp` does), timed.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MIRROR = Path(os.environ.get("MEDBILL_DATA_MIRROR", "/work/shared/data"))


def _child(mode: str, split: Path, model_path: str) -> None:
    from medbill.codesets import open_kb
    from medbill.coding.codiesp import documents
    from medbill.coding.engine import Coder
    from medbill.coding.learn.model import load_model

    texts = list(documents(split).values())
    started = time.perf_counter()
    model = load_model(Path(model_path)) if mode == "model" else None
    coder = Coder(open_kb(), None, model)
    coder.code("Warm-up: cough.", "inpatient")
    startup = time.perf_counter() - started
    started = time.perf_counter()
    codes = 0
    for text in texts:
        codes += len(coder.code(text, "inpatient").codes)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    chars = sum(len(t) for t in texts)
    print(
        json.dumps(
            {
                "mode": mode,
                "notes": len(texts),
                "characters": chars,
                "startup_s": round(startup, 2),
                "coding_s": round(seconds, 2),
                "notes_per_s": round(len(texts) / seconds, 1),
                "ms_per_note": round(1000 * seconds / len(texts), 1),
                "codes_per_note": round(codes / len(texts), 1),
                "peak_rss_mib": round(peak),
            }
        )
    )


def _train_child(split: Path, out: str) -> None:
    from medbill.codesets import open_kb
    from medbill.coding.engine import Coder
    from medbill.coding.learn.train import train

    started = time.perf_counter()
    model, _report = train(split, Coder(open_kb(), None, None))
    model.save(Path(out))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"training_s": round(time.perf_counter() - started, 1), "peak_rss_mib": round(peak)}))


def _run(*args: str) -> dict[str, object]:
    done = subprocess.run([sys.executable, __file__, *args], check=True, capture_output=True, text=True)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", type=Path, default=MIRROR / "codiesp" / "dev")
    parser.add_argument("--model", type=str, default="")
    parser.add_argument("--train", action="store_true", help="train a fresh model from the train split first")
    parser.add_argument("--child", choices=("rules", "model", "train"), help=argparse.SUPPRESS)
    parser.add_argument("--child-model", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "train":
        _train_child(args.split, args.child_model)
        return
    if args.child:
        _child(args.child, args.split, args.child_model)
        return
    if not (args.split / "text_files_en").is_dir():
        sys.exit(f"{args.split}: not a CodiEsp split folder (text_files_en/ missing)")
    results: list[dict[str, object]] = []
    model_path = args.model
    with tempfile.TemporaryDirectory() as tmp:
        if args.train:
            model_path = str(Path(tmp) / "model.pkl")
            training = _run(
                "--child", "train", "--split", str(args.split.parent / "train"), "--child-model", model_path
            )
            results.append({"mode": "training", **training})
        if not model_path:
            from medbill.coding.learn.model import default_path

            model_path = str(default_path())
        results.append(_run("--child", "rules", "--split", str(args.split)))
        if Path(model_path).is_file():
            results.append(_run("--child", "model", "--split", str(args.split), "--child-model", model_path))
        else:
            results.append({"mode": "model", "skipped": f"no model at {model_path} (use --train)"})
    load = os.getloadavg()[0]
    print(
        json.dumps(
            {"split": str(args.split), "load_average_1m": round(load, 2), "results": results}, indent=2
        )
    )


if __name__ == "__main__":
    main()
