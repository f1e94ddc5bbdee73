"""`medbill price CLAIM`: expected allowed amounts and patient responsibility from the fee schedule."""

from pathlib import Path
from typing import Annotated, Any

import typer

from medbill.cli.common import EXIT_FINDINGS, EXIT_OK, console, emit_json, err_console

ClaimArg = Annotated[Path, typer.Argument(help="Claim file (JSON or YAML, the medbill claim format)")]


def register(app: typer.Typer) -> None:
    app.command("price")(price)
    sandbox = typer.Typer(
        help="A simulated Medicare-like payer: adjudicate an 837 and answer with an 835.",
        no_args_is_help=True,
    )
    sandbox.command("adjudicate")(adjudicate)
    app.add_typer(sandbox, name="sandbox")


def price(
    claim_file: ClaimArg,
    json_output: Annotated[bool, typer.Option("--json", help="Print the priced claim as JSON")] = False,
    contract: Annotated[
        Path | None,
        typer.Option("--contract", help="Payer contract (YAML): % of Medicare, fee table, % of charges"),
    ] = None,
    benefits: Annotated[
        Path | None,
        typer.Option("--benefits", help="Benefits (YAML/JSON): deductible_remaining, copay, coinsurance"),
    ] = None,
    trace: Annotated[bool, typer.Option("--trace", help="Show every number used for each line")] = False,
) -> int:
    """Price a claim with the Medicare Physician Fee Schedule (or a payer contract).

    Exit status 1 when a line cannot be paid or priced for a reason the payer would deny.
    """
    from medbill.core.findings import has_blocking
    from medbill.pricing import load_benefits, load_contract, price_claim

    claim = _read_claim(claim_file)
    priced, findings = price_claim(
        claim,
        contract=load_contract(contract) if contract else None,
        benefits=load_benefits(benefits) if benefits else None,
    )
    if json_output:
        emit_json(priced.to_dict())
        for finding in findings:
            err_console.print(_finding_text(finding), highlight=False, markup=False, soft_wrap=True)
    else:
        _print_human(priced, findings, trace)
    return EXIT_FINDINGS if has_blocking(findings) else EXIT_OK


def adjudicate(
    claim_file: Annotated[Path, typer.Argument(help="An X12 837P interchange")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Where to write the 835")],
    deductible: Annotated[
        str, typer.Option("--deductible", help="Part B deductible each patient still has to meet")
    ] = "0.00",
    json_output: Annotated[bool, typer.Option("--json", help="Print the decisions as JSON")] = False,
) -> int:
    """Adjudicate an 837 like a Medicare contractor (scrubber + fee schedule) and write the 835."""
    from medbill.core.errors import InputError
    from medbill.core.money import money
    from medbill.pricing.sandbox import SandboxConfig
    from medbill.pricing.sandbox.payer import adjudicate_file

    try:
        config = SandboxConfig(deductible=money(deductible))
    except ValueError:
        raise InputError(f"--deductible: {deductible!r} is not an amount") from None
    result = adjudicate_file(claim_file, output, config=config)
    if json_output:
        emit_json(result.summary())
    else:
        for line in result.summary_lines():
            console.print(line, highlight=False, markup=False, soft_wrap=True)
        console.print(f"wrote {output}", highlight=False, markup=False)
    return EXIT_OK


def _read_claim(path: Path) -> Any:
    from medbill.core.claimfile import read_claim

    return read_claim(path)


def _finding_text(finding: Any) -> str:
    where = f" (line {', '.join(str(n) for n in finding.lines)})" if finding.lines else ""
    return f"{finding.severity.value}: {finding.rule}{where}: {finding.message}"


def _print_human(priced: Any, findings: list[Any], trace: bool) -> None:
    from rich.table import Table

    table = Table(title=f"claim {priced.claim_id}", title_justify="left")
    for column in ("line", "procedure", "modifiers", "units", "charge", "allowed", "patient", "basis"):
        table.add_column(
            column, justify="right" if column in ("charge", "allowed", "patient", "units") else "left"
        )
    for line in priced.lines:
        table.add_row(
            str(line.line),
            line.procedure,
            " ".join(line.modifiers),
            f"{line.units.normalize():f}",
            str(line.charge),
            str(line.allowed) if line.priced else "—",
            str(line.patient.total),
            line.basis,
        )
    console.print(table)
    console.print(
        f"total allowed {priced.total_allowed}   patient responsibility {priced.patient_responsibility}"
    )
    if trace:
        for line in priced.lines:
            console.print(f"\nline {line.line} {line.procedure}", style="bold", highlight=False)
            for step in line.trace:
                extra = "; ".join(part for part in (step.source, step.note) if part)
                console.print(
                    f"  {step.item}: {step.value}" + (f"  [{extra}]" if extra else ""),
                    highlight=False,
                    markup=False,
                )
    for finding in findings:
        console.print(_finding_text(finding), highlight=False, markup=False, soft_wrap=True)
