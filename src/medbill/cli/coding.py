"""`medbill code`, `medbill eval codiesp`, `medbill coding train|info`: the coding engine from the shell.

- `medbill code FILE|-` codes one note (a table, or `--json`); `medbill code --batch DIR --json`
  codes every `*.txt` of a folder, one JSON object per line.
- `medbill eval codiesp SPLIT_DIR --track D|P` scores the coder on a CodiEsp split (MAP as the
  track defines it, micro P/R/F1 above the decision threshold).
- `medbill coding train SPLIT_DIR` learns the model (lexicon, similar cases, re-rankers) from a
  coded split and writes it under MEDBILL_HOME (temp file, then rename).
"""

import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from medbill.cli.common import console, emit_json, emit_json_lines, err_console

if TYPE_CHECKING:
    from datetime import date

    from medbill.coding.result import CodingResult

SETTINGS = ("outpatient", "inpatient")
ON_HELP = "Date of service (YYYY-MM-DD): codes of the release in force; default: the newest installed."

coding_app = typer.Typer(help="The coder's learned model: train it, show it.", no_args_is_help=True)
eval_app = typer.Typer(help="Measure the coder on a public corpus.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.command("code")(code)
    app.add_typer(eval_app, name="eval")
    app.add_typer(coding_app, name="coding")


# -- input -------------------------------------------------------------------------------------------
def decode_note(data: bytes, source: str) -> tuple[str, list[str]]:
    """Note bytes as text: UTF-8 (a BOM is dropped); other bytes are replaced (U+FFFD) with a warning."""
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        text = data.decode("utf-8", errors="replace")
        bad = text.count("\ufffd")
        return text, [
            f"{source}: not valid UTF-8 (first bad byte at offset {exc.start}); {bad} byte(s) replaced"
        ]


def read_note(path: str) -> tuple[str, list[str]]:
    """The text of FILE, or of standard input for `-`."""
    from medbill.core.errors import InputError

    if path == "-":
        return decode_note(sys.stdin.buffer.read(), "<stdin>")
    file = Path(path)
    if not file.exists():
        raise InputError(f"{path}: no such file")
    if file.is_dir():
        raise InputError(f"{path}: is a folder (use --batch DIR to code every *.txt in it)")
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: {exc.strerror or exc}") from None
    return decode_note(data, path)


def _on(value: str | None) -> "date | None":
    from medbill.core.dates import parse_date

    return parse_date(value, what="--on") if value else None


def _setting(value: str) -> str:
    from medbill.core.errors import InputError

    if value not in SETTINGS:
        raise InputError(f"--setting: {value!r} is not one of {', '.join(SETTINGS)}")
    return value


def _warn(messages: list[str]) -> None:
    for message in messages:
        err_console.print(f"[yellow]warning:[/] {message}", highlight=False)


# -- medbill code ------------------------------------------------------------------------------------
def code(
    file: Annotated[
        str | None, typer.Argument(help="The note: a text file, or - for standard input.")
    ] = None,
    setting: Annotated[
        str, typer.Option("--setting", help="outpatient (uncertain diagnoses not coded) | inpatient")
    ] = "outpatient",
    on: Annotated[str | None, typer.Option("--on", help=ON_HELP)] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON: {codes, mentions, ...}.")] = False,
    batch: Annotated[
        Path | None,
        typer.Option(
            "--batch",
            help="Code every *.txt of this folder; one JSON object per line with --json: "
            "{document, codes} with every code considered, highest score first, each with its "
            "status and `coded` (what medbill would bill).",
        ),
    ] = None,
    coded_only: Annotated[
        bool,
        typer.Option(
            "--coded-only", help="With --batch: list only the codes medbill codes, in sequence order."
        ),
    ] = False,
    no_model: Annotated[
        bool, typer.Option("--no-model", help="Rules only: ignore the learned model even if installed.")
    ] = False,
) -> None:
    """Code a clinical note: ICD-10-CM diagnoses, ICD-10-PCS procedures, HCPCS drugs and supplies,
    each with its assertion status, score, evidence spans and rationale."""
    from dataclasses import replace

    from medbill.coding.engine import get_coder
    from medbill.core.errors import InputError

    chosen = _setting(setting)
    day = _on(on)
    if batch is not None:
        if file is not None:
            raise InputError("give either FILE or --batch DIR, not both")
        _code_batch(batch, chosen, day, as_json, not no_model, coded_only)
        return
    if file is None:
        raise InputError("missing FILE (a note file, or - for standard input), or --batch DIR")
    text, warnings = read_note(file)
    _warn(warnings)
    coder = get_coder(day, use_model=not no_model)
    result = coder.code(text, chosen, use_model=not no_model)
    if warnings:
        result = replace(result, warnings=(*result.warnings, *warnings))
    if as_json:
        emit_json(result.to_dict())
    else:
        render_result(result)


def _code_batch(
    folder: Path, setting: str, day: "date | None", as_json: bool, use_model: bool, coded_only: bool
) -> None:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from medbill.coding.engine import get_coder
    from medbill.core.errors import InputError

    if not folder.is_dir():
        raise InputError(f"--batch {folder}: no such folder")
    files = sorted(folder.glob("*.txt"))
    if not files:
        raise InputError(f"--batch {folder}: no *.txt files in it")
    coder = get_coder(day, use_model=use_model)
    columns = (TextColumn("coding"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=err_console, transient=True) as progress:
        task = progress.add_task("notes", total=len(files))
        for path in files:
            text, warnings = decode_note(path.read_bytes(), str(path))
            _warn(warnings)
            result = coder.code(text, setting, use_model=use_model)
            items = result.codes if coded_only else result.by_score()
            line: dict[str, Any] = {"document": path.stem, "codes": [c.to_dict() for c in items]}
            if warnings:
                line["warnings"] = warnings
            if as_json:
                emit_json_lines([line])
            else:
                listed = ", ".join(c.code for c in items) or "(nothing coded)"
                console.print(f"{path.stem}\t{listed}", highlight=False, markup=False)
            progress.advance(task)


def render_result(result: "CodingResult") -> None:
    from rich.table import Table

    if not result.codes:
        console.print("nothing coded", style="dim")
    else:
        table = Table(title=f"Codes ({result.setting}), in sequence order", title_justify="left")
        for column in ("#", "code", "system", "score", "description", "evidence"):
            table.add_column(column, overflow="fold")
        for n, item in enumerate(result.codes, start=1):
            evidence = "; ".join(f"{e.text!r}@{e.start}" for e in item.evidence[:3])
            table.add_row(str(n), item.code, item.system, f"{item.score:.2f}", item.description, evidence)
        console.print(table)
    skipped = [m for m in result.mentions if m.status.value != "present"]
    if skipped:
        table = Table(title="Mentions not coded as present", title_justify="left")
        for column in ("text", "status", "section", "offsets"):
            table.add_column(column, overflow="fold")
        for m in skipped:
            table.add_row(m.text, m.status.value, m.section.value, f"{m.start}-{m.end}")
        console.print(table)


# -- medbill eval codiesp ----------------------------------------------------------------------------
@eval_app.command("codiesp")
def eval_codiesp(
    split_dir: Annotated[Path, typer.Argument(help="A CodiEsp split folder (text_files_en/ and gold TSVs).")],
    track: Annotated[str, typer.Option("--track", help="D (diagnoses) | P (procedures)")] = "D",
    setting: Annotated[str, typer.Option("--setting", help="inpatient | outpatient")] = "inpatient",
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
    no_model: Annotated[
        bool, typer.Option("--no-model", help="Rules only: ignore the learned model.")
    ] = False,
) -> None:
    """Code every note of a CodiEsp split and score against its gold codes: MAP as CodiEsp defines
    it, and micro precision / recall / F1 of the codes above the decision threshold."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from medbill.coding.codiesp import Track
    from medbill.coding.engine import get_coder
    from medbill.coding.evaluate import evaluate
    from medbill.core.errors import InputError

    wanted = track.strip().upper()
    if wanted not in ("D", "P"):
        raise InputError(f"--track: {track!r} is not D or P")
    chosen = _setting(setting)
    if not split_dir.is_dir():
        raise InputError(f"{split_dir}: no such folder")
    coder = get_coder(None, use_model=not no_model)
    if not no_model and coder.model is None:
        err_console.print("no learned model installed: rules only (run `medbill coding train`)", style="dim")
    columns = (TextColumn("coding"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    started = time.perf_counter()
    with Progress(*columns, console=err_console, transient=True) as progress:
        task = progress.add_task("notes", total=None)

        def step(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        scores = evaluate(coder, split_dir, Track(wanted), chosen, step)
    seconds = time.perf_counter() - started
    data = {
        "split": str(split_dir),
        "track": wanted,
        "setting": chosen,
        "model": coder.model is not None and not no_model,
        "seconds": round(seconds, 2),
        "scores": [s.to_dict() for s in scores],
    }
    if as_json:
        emit_json(data)
        return
    from rich.table import Table

    label = "learned model" if data["model"] else "rules only"
    table = Table(title=f"CodiEsp-{wanted} on {split_dir} ({label}, {seconds:.1f} s)", title_justify="left")
    for column in ("reading", "MAP", "MAP (missing = 0)", "precision", "recall", "F1", "documents"):
        table.add_column(column, justify="right")
    for s in scores:
        table.add_row(
            s.mode,
            f"{s.map:.3f}",
            f"{s.strict_map:.3f}",
            f"{s.precision:.3f}",
            f"{s.recall:.3f}",
            f"{s.f1:.3f}",
            str(s.documents),
        )
    console.print(table)
    console.print(
        "mentioned: every code considered, ranked (the CodiEsp annotation codes negated mentions too); "
        "coded: only what medbill codes for billing.",
        style="dim",
    )


# -- medbill coding train / info --------------------------------------------------------------------
@coding_app.command("train")
def train_command(
    split_dir: Annotated[Path, typer.Argument(help="A coded CodiEsp split folder (e.g. .../codiesp/train).")],
    output: Annotated[
        Path | None, typer.Option("--output", help="Where to write the model; default MEDBILL_HOME/coding/.")
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the fold split and the re-rankers.")] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="Print the training report as JSON.")] = False,
) -> None:
    """Learn the coder's model from a coded split: a lexicon of the corpus' own phrasing, a
    similar-case index, label space and priors, and one re-ranker per code system with its decision
    threshold (chosen by cross-validation on the split itself)."""
    from medbill.codesets import open_kb
    from medbill.coding.engine import Coder
    from medbill.coding.learn.train import train
    from medbill.core.errors import InputError

    if not split_dir.is_dir():
        raise InputError(f"{split_dir}: no such folder")
    coder = Coder(open_kb(), None, None)

    def progress(stage: str, done: int, total: int) -> None:
        err_console.print(f"{stage} {done}/{total}", style="dim", highlight=False)

    model, report = train(split_dir, coder, seed=seed, progress=progress)
    path = model.save(output)
    data = {
        "model": str(path),
        "documents": report.documents,
        "phrases": report.phrases,
        "seconds": round(report.seconds, 1),
        "cross_validation": report.cv,
        "thresholds": report.thresholds,
    }
    if as_json:
        emit_json(data)
        return
    console.print(f"model written to {path} ({report.documents} documents, {report.seconds:.0f} s)")
    for track, cv in report.cv.items():
        console.print(
            f"  {track}: cross-validated MAP {cv['map']:.3f}, F1 {cv['f1']:.3f} at threshold {cv['threshold']:.3f}",
            highlight=False,
        )


@coding_app.command("info")
def info_command(
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """Where the learned model is and what it was trained on (or that there is none)."""
    from medbill.coding.learn.model import default_path, load_model

    path = default_path()
    model = load_model(path)
    data: dict[str, Any] = {"model": str(path), "installed": model is not None}
    if model is not None:
        data.update({k: v for k, v in model.meta.items() if k != "trained_on"})
        data["thresholds"] = model.thresholds
    if as_json:
        emit_json(data)
        return
    if model is None:
        console.print(f"no learned model at {path}: the coder runs on rules only (`medbill coding train`)")
        return
    console.print(f"model: {path}")
    console.print(f"  trained on {data.get('documents')} documents, {data.get('phrases')} learned phrases")
    console.print(f"  knowledge-base releases: {', '.join(data.get('kb_releases') or [])}", highlight=False)
    for track, cv in (data.get("cv") or {}).items():
        console.print(
            f"  {track}: cross-validated MAP {cv['map']:.3f}, F1 {cv['f1']:.3f} "
            f"(P {cv['precision']:.3f} / R {cv['recall']:.3f}) at threshold {cv['threshold']:.3f}",
            highlight=False,
        )
