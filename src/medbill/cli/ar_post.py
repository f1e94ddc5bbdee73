"""`medbill ar charge`, `ar post-era`, `ar secondary`: what flows into the journal."""

from pathlib import Path

import typer

from medbill.cli.ar_app import DATE_OPTION, JSON_OPTION, ar_app, day, open_db, table
from medbill.cli.common import EXIT_FINDINGS, console, emit_json, err_console


@ar_app.command("charge")
def charge(
    claims: list[Path] = typer.Argument(
        ..., help="Claim files (JSON, YAML or JSONL; several claims per file are fine)."
    ),
    date: str | None = DATE_OPTION,
    check: bool | None = typer.Option(
        None,
        "--check/--no-check",
        help="Run the claim edits first (default: when the knowledge base is built); a claim with a "
        "blocking finding stops the command, and the result feeds the clean-claim rate.",
    ),
    force: bool = typer.Option(False, "--force", help="Record claims even when the edits block them."),
    json_out: bool = JSON_OPTION,
) -> None:
    """Record claims in the journal and post their charges (one transaction for all of them)."""
    from medbill.core.claimfile import read_claims
    from medbill.services.charges import ClaimsNotClean, record_claims
    from medbill.settings import get_settings

    loaded = [c for path in claims for c in read_claims(path)]
    run_check = check if check is not None else get_settings().kb_path.is_file()
    scrub = None
    if run_check:
        from medbill.rules import check_claim

        scrub = check_claim
    database = open_db()
    try:
        results = record_claims(database, loaded, on=day(date, "--date"), check=scrub, force=force)
    except ClaimsNotClean as exc:
        if json_out:
            emit_json({"recorded": False, "findings": exc.findings})
        else:
            err_console.print(f"[bold red]not recorded:[/] {exc}")
            for claim_id, findings in exc.findings.items():
                for f in findings:
                    if f.severity.blocking:
                        err_console.print(
                            f"  {claim_id}: [{f.severity.value}] {f.rule}: {f.message}", highlight=False
                        )
        raise typer.Exit(EXIT_FINDINGS) from None
    finally:
        database.close()
    if json_out:
        emit_json(
            {
                "recorded": True,
                "checked": bool(run_check),
                "claims": [
                    {
                        "claim_id": r.claim_id,
                        "action": r.action,
                        "payer_id": r.payer_id,
                        "responsibility": r.responsibility.value,
                        "amount": str(r.amount),
                        "entries": list(r.entry_ids),
                        "clean": r.clean,
                        "findings": [f.to_dict() for f in r.findings],
                    }
                    for r in results
                ],
            }
        )
        return
    table(
        "Claims recorded" + ("" if run_check else " (claim edits not run)"),
        ["claim", "action", "payer", "amount", "clean"],
        [[r.claim_id, r.action, r.payer_id, r.amount, "" if r.clean is None else r.clean] for r in results],
        right={"amount"},
    )


@ar_app.command("post-era")
def post_era(
    file: Path = typer.Argument(..., help="An X12 835 file (or a remittance as JSON/YAML)."),
    date: str | None = typer.Option(None, "--date", help="Entry date when the 835 has no payment date."),
    json_out: bool = JSON_OPTION,
) -> None:
    """Post a remittance (835): payments, adjustments, patient share, PLB; idempotent.

    Each 835 transaction set posts in one transaction; posting the same one twice posts it once.
    Unmatched claims, reversals and amounts that do not balance go to the exception queue; denied
    lines to the denials queue."""
    from medbill.services.era import post_remittance_file

    database = open_db()
    try:
        results = post_remittance_file(database, file, today=day(date, "--date"))
    finally:
        database.close()
    if json_out:
        emit_json([r.to_dict() for r in results])
        return
    for r in results:
        if r.duplicate:
            console.print(
                f"835 trace {r.trace_number} from {r.payer_key} was posted already (remittance {r.remittance_id}); nothing posted"
            )
            continue
        console.print(
            f"835 trace {r.trace_number} from {r.payer_key}: payment {r.payment}, {r.posted_claims} of "
            f"{len(r.claims)} claims posted, {r.entries} entries, {r.denials} denials, "
            f"{len(r.exceptions)} exceptions (remittance {r.remittance_id})",
            soft_wrap=True,
        )
        for e in r.exceptions:
            console.print(f"  exception {e.kind.value}: {e.message}", soft_wrap=True, highlight=False)


@ar_app.command("secondary")
def secondary(
    claim_id: str = typer.Argument(..., help="The claim (its claim_id) to bill to the next payer."),
    coverage: Path = typer.Option(
        ...,
        "--coverage",
        help="The next coverage (YAML/JSON: payer, subscriber, relationship, responsibility).",
    ),
    output: Path | None = typer.Option(
        None, "-o", "--output", help="Write the claim (JSON) here, for `medbill edi write-837`."
    ),
    date: str | None = DATE_OPTION,
    json_out: bool = JSON_OPTION,
) -> None:
    """Bill the next (secondary, tertiary) payer after the earlier payer's remittance.

    Builds the claim with the COB data of the earlier payer's 835, records it and moves the
    patient balance to the next payer."""
    import json

    import yaml
    from pydantic import ValidationError

    from medbill.ar.secondary import Coverage
    from medbill.core.errors import InputError
    from medbill.services.secondary import bill_next_payer

    try:
        data = yaml.safe_load(coverage.read_text(encoding="utf-8"))
        cover = Coverage.model_validate(data)
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(f"{coverage}: cannot read the coverage: {exc}") from None
    except ValidationError as exc:
        problems = tuple(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise InputError(f"{coverage}: not a valid coverage", problems) from None
    database = open_db()
    try:
        result = bill_next_payer(database, claim_id, cover, on=day(date, "--date"))
    finally:
        database.close()
    document = result.claim.model_dump(mode="json", exclude_none=True)
    if output:
        output.parent.mkdir(parents=True, exist_ok=True)
        temp = output.with_name(f".{output.name}.tmp")
        temp.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
        temp.replace(output)
    if json_out:
        emit_json(
            {
                "claim": document,
                "findings": [f.to_dict() for f in result.findings],
                "transferred": str(result.charge.amount),
            }
        )
        return
    console.print(
        f"claim {claim_id} billed to {cover.payer.name} ({cover.responsibility.value}); "
        f"{result.charge.amount} moved to its receivable"
        + (f"; claim written to {output}" if output else ""),
        soft_wrap=True,
    )
    for f in result.findings:
        console.print(f"  [{f.severity.value}] {f.message}", highlight=False, soft_wrap=True)
