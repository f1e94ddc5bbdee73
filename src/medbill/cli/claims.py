"""`medbill claims check | schema` and `medbill rules list`: the claim scrubber on the command line.

Exit statuses: 0 clean (or only warn/info findings), 1 a reject/deny finding (or, in a batch, a
claim line that could not be read), 2 an unreadable or invalid claim file (every problem listed
with its JSON path).
"""

import datetime as dt
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from medbill.cli.common import EXIT_FINDINGS, EXIT_OK, console, emit_json, err_console

if TYPE_CHECKING:
    from medbill.core.findings import Finding
    from medbill.rules.engine import Scrubber


def register(app: typer.Typer) -> None:
    claims = typer.Typer(
        help="Check claims against payer edits; print the claim JSON Schema.", no_args_is_help=True
    )
    claims.command("check")(check)
    claims.command("schema")(schema)
    app.add_typer(claims, name="claims")
    rules = typer.Typer(help="The edits the scrubber applies.", no_args_is_help=True)
    rules.command("list")(list_rules)
    rules.command("add-ncci")(add_ncci)
    app.add_typer(rules, name="rules")


def check(
    claim_file: Annotated[
        Path | None, typer.Argument(help="A claim (JSON or YAML), or a JSON array / YAML documents of claims")
    ] = None,
    batch: Annotated[
        Path | None, typer.Option("--batch", help="A JSONL file: one claim per line, one result per line")
    ] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print the findings as JSON")] = False,
    overlay: Annotated[
        list[Path] | None, typer.Option("--overlay", help="A payer overlay (YAML); may be repeated")
    ] = None,
    today: Annotated[
        str | None, typer.Option("--today", help="The date the check is made (YYYY-MM-DD; default: today)")
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of", help="Use the reference data in force on this date instead of each date of service"
        ),
    ] = None,
) -> int:
    """Check claims against every edit in force on their dates of service.

    Exit status 1 when any finding is reject or deny, 2 when the claim file cannot be read.
    """
    from medbill.core.dates import parse_date
    from medbill.core.errors import InputError

    if (claim_file is None) == (batch is None):
        raise InputError("give a claim file, or --batch FILE.jsonl (not both)")
    day = parse_date(today, what="--today") if today else dt.date.today()
    forced = parse_date(as_of, what="--as-of") if as_of else None
    if batch is not None:
        return _check_batch(batch, json_output, _scrubber(overlay, forced).freeze(), day)
    assert claim_file is not None
    from medbill.core.claimfile import read_claims

    claims = read_claims(claim_file)
    scrubber = _scrubber(overlay, forced)
    results = [(claim, _sorted(scrubber.check(claim, today=day))) for claim in claims]
    if json_output:
        documents = [_result(claim.claim_id, findings) for claim, findings in results]
        emit_json(documents[0] if len(documents) == 1 else documents)
    else:
        for claim, findings in results:
            _print_claim(claim.claim_id, findings)
    blocking = any(f.severity.blocking for _, findings in results for f in findings)
    return EXIT_FINDINGS if blocking else EXIT_OK


def _scrubber(overlay_files: list[Path] | None, on: dt.date | None) -> "Scrubber":
    from medbill.rules import default_registry, load_overlay
    from medbill.rules.defaults import load_reference
    from medbill.rules.engine import Scrubber

    registry = default_registry()
    overlays = [load_overlay(path, known_rules=registry.rules) for path in overlay_files or ()]
    return Scrubber(load_reference(), registry, overlays=overlays, on=on)


def _sorted(findings: "list[Finding]") -> "list[Finding]":
    return sorted(findings, key=lambda f: (f.severity.rank, f.lines[:1] or (0,)))


def _result(claim_id: str | None, findings: "list[Finding]") -> dict[str, Any]:
    return {"claim_id": claim_id, "findings": [f.to_dict() for f in findings]}


def _check_batch(path: Path, json_output: bool, scrubber: "Scrubber", day: dt.date) -> int:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from medbill.core.claimfile import iter_jsonl
    from medbill.core.errors import InputError

    try:
        handle = path.open(encoding="utf-8-sig")
    except OSError as exc:
        raise InputError(f"{path}: {exc.strerror or exc}") from None
    with handle:
        total = sum(1 for line in handle if line.strip())
        handle.seek(0)
        blocking = False
        out = sys.stdout
        columns = (TextColumn("checking"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
        with Progress(*columns, console=err_console, transient=True) as progress:
            task = progress.add_task("claims", total=total)
            for count, item in enumerate(iter_jsonl(handle, source=str(path)), start=1):
                if item.claim is None:
                    assert item.error is not None
                    result = _error_result(item.line, item.claim_id, item.error)
                    blocking = True
                else:
                    findings = _sorted(scrubber.check(item.claim, today=day))
                    blocking = blocking or any(f.severity.blocking for f in findings)
                    result = _result(item.claim.claim_id, findings)
                if json_output:
                    out.write(json.dumps(result, ensure_ascii=False, separators=(",", ":")) + "\n")
                else:
                    _print_batch_line(item.line, result)
                if count % 500 == 0:
                    progress.update(task, completed=count)
                    out.flush()
            progress.update(task, completed=total)
        out.flush()
    return EXIT_FINDINGS if blocking else EXIT_OK


def _error_result(line: int, claim_id: str | None, error: Exception) -> dict[str, Any]:
    from medbill.rules.engine import INVALID_CLAIM

    problems = list(getattr(error, "problems", ()))
    message = str(error.args[0]) if error.args else str(error)
    return {
        "claim_id": claim_id,
        "line": line,
        "error": {"message": message, "problems": problems},
        "findings": [
            {
                "rule": INVALID_CLAIM,
                "severity": "reject",
                "message": message + ("" if not problems else ": " + "; ".join(problems)),
                "lines": [],
                "codes": [],
                "source": {
                    "name": "medbill claim format (`medbill claims schema`)",
                    "release": "",
                    "effective": "",
                },
                "fix": "Correct the claim so that it matches the claim schema.",
            }
        ],
    }


_STYLE = {"reject": "bold red", "deny": "red", "warn": "yellow", "info": "cyan"}


def _print_claim(claim_id: str, findings: "list[Finding]") -> None:
    counts = {sev: sum(1 for f in findings if f.severity.value == sev) for sev in _STYLE}
    summary = ", ".join(f"{n} {sev}" for sev, n in counts.items() if n)
    mark = "[red]✗[/]" if counts["reject"] or counts["deny"] else "[green]✓[/]"
    console.print(f"{mark} [bold]{claim_id}[/]: {summary or 'no findings'}", highlight=False)
    for f in findings:
        where = f" lines {','.join(map(str, f.lines))}" if f.lines else ""
        console.print(
            f"  [{_STYLE[f.severity.value]}]{f.severity.value:<6}[/] {f.rule}{where}", highlight=False
        )
        console.print(f"         {f.message}", highlight=False, markup=False)
        if f.fix:
            console.print(f"         [dim]fix:[/] {f.fix}", highlight=False)
        if f.source is not None:
            cited = " ".join(part for part in (f.source.name, f.source.release) if part)
            console.print(f"         [dim]source: {cited}[/]", highlight=False)


def _print_batch_line(line: int, result: dict[str, Any]) -> None:
    counts: dict[str, int] = {}
    for f in result["findings"]:
        counts[f["severity"]] = counts.get(f["severity"], 0) + 1
    summary = ", ".join(f"{n} {sev}" for sev, n in sorted(counts.items())) or "clean"
    console.print(f"line {line}: {result['claim_id'] or '(unreadable)'}: {summary}", highlight=False)


def schema() -> int:
    """Print the JSON Schema of the claim format (what `claims check` reads)."""
    from medbill.core.claim import Claim

    document = Claim.model_json_schema()
    document = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://medbill.example/schemas/claim.json",
        **document,
    }
    emit_json(document)
    return EXIT_OK


def list_rules(
    json_output: Annotated[bool, typer.Option("--json", help="Print the rules as JSON")] = False,
) -> int:
    """List every edit with its id, severity, source and what it checks."""
    from rich.table import Table

    from medbill.rules import default_registry
    from medbill.rules.engine import ENGINE_FINDINGS

    registry = default_registry()
    if json_output:
        emit_json({"rules": [rule.describe() for rule in registry], "engine_findings": ENGINE_FINDINGS})
        return EXIT_OK
    table = Table(title=f"{len(registry)} edits", title_justify="left")
    for column in ("id", "severity", "title", "source"):
        table.add_column(column, overflow="fold")
    for rule in registry:
        source = rule.source.name + (f" {rule.source.release}" if rule.source.release else "")
        table.add_row(rule.id, rule.severity.value, rule.title, source)
    console.print(table)
    for rule_id, text in ENGINE_FINDINGS.items():
        console.print(f"[dim]{rule_id}[/]: {text}", highlight=False)
    return EXIT_OK


def add_ncci(
    files: Annotated[
        list[Path], typer.Argument(help="CMS NCCI files: PTP .txt/.zip parts, MUE .csv, AOC .xlsx")
    ],
    json_output: Annotated[bool, typer.Option("--json", help="Print what was installed as JSON")] = False,
) -> int:
    """Install NCCI files you downloaded from CMS (e.g. the PTP tables); then run `medbill data build`."""
    from medbill.rules.ncci.install import add_ncci as install
    from medbill.settings import get_settings

    installed = install(get_settings(), files)
    if json_output:
        emit_json(installed)
    else:
        for item in installed:
            console.print(
                f"installed {item['rows']:,} rows as release {item['id']} ({item['name']})", highlight=False
            )
        console.print("now run `medbill data build`")
    return EXIT_OK
