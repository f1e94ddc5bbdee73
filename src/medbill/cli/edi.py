"""`medbill edi write-837 | parse` and `medbill forms cms1500 | ub04`: X12 5010 files and claim forms.

Heavy imports stay inside the commands so that `medbill --help` stays fast.
"""

from pathlib import Path
from typing import Annotated, Any

import typer

from medbill.cli.common import EXIT_FINDINGS, EXIT_OK, console, emit_json, err_console

edi_app = typer.Typer(
    help="X12 5010: write 837P/837I claims, read 835/999/277CA (and 837) files.", no_args_is_help=True
)
forms_app = typer.Typer(help="Claim forms as PDF: CMS-1500 (02/12) and UB-04.", no_args_is_help=True)

JsonOption = Annotated[bool, typer.Option("--json", help="Print the result as JSON")]


def register(app: typer.Typer) -> None:
    app.add_typer(edi_app, name="edi")
    app.add_typer(forms_app, name="forms")


@edi_app.command("write-837")
def write_837_command(
    claims: Annotated[list[Path], typer.Argument(help="Claim files (JSON, YAML, JSONL or a JSON array)")],
    output: Annotated[Path, typer.Option("-o", "--output", help="The 837 file to write")],
    config: Annotated[
        Path | None,
        typer.Option(
            "--config", help="Interchange settings (YAML/JSON): sender/receiver ids, usage T/P, ..."
        ),
    ] = None,
    json_output: JsonOption = False,
) -> int:
    """Write the claims as one 837 interchange (837P and/or 837I), grouped by payer and billing provider.

    Nothing is written when any claim cannot make a valid 837 (exit 2, every problem listed).
    """
    from medbill.core.claimfile import read_claims
    from medbill.core.errors import InputError
    from medbill.settings import get_settings
    from medbill.x12.config import load_config
    from medbill.x12.files import write_atomic
    from medbill.x12.write837 import prepare_837

    if config is None:
        config = get_settings().home / "x12.yaml"
        if not config.is_file():
            raise InputError(
                f"--config FILE is required (or a default in {config}): it names the sender, the receiver and "
                "the usage indicator (T/P)"
            )
    settings = load_config(config)
    items = [claim for path in claims for claim in read_claims(path)]
    text, findings = prepare_837(items, settings)
    write_atomic(output, text)
    if json_output:
        emit_json({"output": str(output), "claims": len(items), "findings": [f.to_dict() for f in findings]})
    else:
        for finding in findings:
            err_console.print(f"{finding.severity.value}: {finding.message}", highlight=False, markup=False)
        console.print(f"wrote {len(items)} claims to {output}", highlight=False)
    return EXIT_OK


@edi_app.command("parse")
def parse_command(
    file: Annotated[
        Path, typer.Argument(help="An X12 file: 837P, 837I, 835, 999, 277CA (270/271/276/277 reported)")
    ],
    json_output: JsonOption = False,
) -> int:
    """Read an X12 file, detect its transactions and map them; findings for anything wrong.

    Exit status 1 when a finding is reject/deny (envelope errors, unbalanced 835, ...), 2 when the
    file cannot be read or is not X12.
    """
    from medbill.core.errors import InputError
    from medbill.core.findings import has_blocking
    from medbill.x12.parse import parse_x12

    if not file.is_file():
        raise InputError(f"{file}: no such file")
    try:
        stream = file.open("rb")
    except OSError as exc:
        raise InputError(f"{file}: cannot read it ({exc.strerror})") from None
    with stream:
        result = _parse_with_progress(parse_x12, stream, file)
    if result.fatal:
        message = next((f.message for f in result.findings if f.rule == "x12.syntax.not_x12"), "not X12")
        raise InputError(f"{file}: {message}")
    if json_output:
        emit_json(result.document)
    else:
        _print_summary(result)
    return EXIT_FINDINGS if has_blocking(result.findings) else EXIT_OK


def _parse_with_progress(parse: Any, stream: Any, file: Path) -> Any:
    size = file.stat().st_size
    if size < 5_000_000 or not err_console.is_terminal:
        return parse(stream)
    from rich.progress import BarColumn, DownloadColumn, Progress, TransferSpeedColumn

    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        console=err_console,
        transient=True,
    ) as progress:
        task = progress.add_task(f"reading {file.name}", total=size)
        return parse(stream, on_set=lambda _segments: progress.update(task, completed=stream.tell()))


def _print_summary(result: Any) -> None:
    document = result.document
    kinds = ", ".join(dict.fromkeys(result.kinds)) or "no transaction sets"
    console.print(f"[bold]{kinds}[/]: {len(result.kinds)} transaction set(s), {result.segments} segments")
    for transaction in document.get("transactions", []):
        payment = transaction["payment"]
        console.print(
            f"835 from {transaction['payer']['name']} to {transaction['payee']['name']}: "
            f"{payment['method']} {payment['amount']} on {payment['date']} (trace {payment['trace_number']}), "
            f"{len(transaction['claims'])} claims",
            highlight=False,
        )
        for claim in transaction["claims"]:
            console.print(
                f"  {claim['claim_id']}: status {claim['status']}, charge {claim['charge']}, paid {claim['paid']}, "
                f"patient {claim['patient_responsibility']}",
                highlight=False,
            )
    for claim in document.get("claims", []):
        console.print(
            f"claim {claim['claim_id']} ({claim['type']}) to {claim['payer']['name']}: {len(claim['lines'])} lines",
            highlight=False,
        )
    for group in document.get("acknowledgments", []):
        console.print(
            f"999 for group {group['group_control_number']} ({group['functional_id']}): {group['status_text']}"
        )
        for item in group["sets"]:
            console.print(
                f"  {item['transaction_id']} {item['control_number']}: {item['status_text']}", highlight=False
            )
            for error in item["segment_errors"]:
                console.print(
                    f"    {error['segment_id']} at {error['position']}: {error['description']}",
                    highlight=False,
                )
    for report in document.get("reports", []):
        console.print(
            f"277CA from {report['source']['name']}: {report['accepted']} accepted, {report['rejected']} rejected"
        )
        for claim in report["claims"]:
            codes = " ".join(f"{s['category']}:{s['code']}" for s in claim["statuses"])
            console.print(f"  {claim['claim_id']}: {claim['status']} ({codes})", highlight=False)
    for item in document.get("transaction_sets", []):
        console.print(
            f"{item['type']} {item['control_number']}: {item['segments']} segments", highlight=False
        )
    for finding in result.findings:
        err_console.print(
            f"{finding.severity.value}: {finding.rule}: {finding.message}", highlight=False, markup=False
        )


@forms_app.command("cms1500")
def cms1500_command(
    claim: Annotated[Path, typer.Argument(help="A professional claim file (JSON or YAML)")],
    output: Annotated[Path, typer.Option("-o", "--output", help="The PDF to write")],
) -> int:
    """Print a professional claim on the CMS-1500 (02/12) layout, six service lines per page."""
    from medbill.core.claimfile import read_claim
    from medbill.forms import render_cms1500
    from medbill.x12.files import write_atomic

    write_atomic(output, render_cms1500(read_claim(claim)))
    console.print(f"wrote {output}", highlight=False)
    return EXIT_OK


@forms_app.command("ub04")
def ub04_command(
    claim: Annotated[Path, typer.Argument(help="An institutional claim file (JSON or YAML)")],
    output: Annotated[Path, typer.Option("-o", "--output", help="The PDF to write")],
) -> int:
    """Print an institutional claim on the UB-04 layout (form locators), 22 lines per page."""
    from medbill.core.claimfile import read_claim
    from medbill.forms import render_ub04
    from medbill.x12.files import write_atomic

    write_atomic(output, render_ub04(read_claim(claim)))
    console.print(f"wrote {output}", highlight=False)
    return EXIT_OK
