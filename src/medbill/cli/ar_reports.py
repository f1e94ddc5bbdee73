"""`medbill ar balance`, `ar journal`, `ar aging`, `ar kpis`, `ar statement`: reading the journal."""

from pathlib import Path

import typer

from medbill.cli.ar_app import JSON_OPTION, ar_app, day, open_db, table
from medbill.cli.common import console, emit_json


@ar_app.command("balance")
def balance(
    claim: str | None = typer.Option(None, "--claim", help="One claim, line by line."),
    as_of: str | None = typer.Option(None, "--as-of", help="End of this date (default: everything)."),
    json_out: bool = JSON_OPTION,
) -> None:
    """Balances derived from the journal: every account, or one claim's accounts line by line."""
    from medbill.services.reports import account_balances

    database = open_db()
    try:
        if claim:
            with database.reader() as uow:
                lines = uow.journal.line_balances(claim)
            rows = [
                {"account": a.name, "line": line, "balance": str(v)}
                for (a, line), v in sorted(lines.items(), key=lambda kv: (kv[0][0], kv[0][1] or 0))
                if v != 0
            ]
            if json_out:
                emit_json({"claim_id": claim, "balances": rows})
            else:
                table(
                    f"Claim {claim}",
                    ["account", "line", "balance"],
                    [list(r.values()) for r in rows],
                    right={"balance"},
                )
            return
        found = account_balances(database, as_of=day(as_of, "--as-of") if as_of else None)
    finally:
        database.close()
    if json_out:
        emit_json({"balances": {a.name: str(v) for a, v in found.items()}})
        return
    table(
        "Account balances (debit positive)",
        ["account", "balance"],
        [[a.name, v] for a, v in found.items()],
        right={"balance"},
    )


@ar_app.command("journal")
def journal(
    claim: str | None = typer.Option(None, "--claim", help="Only this claim's entries."),
    limit: int = typer.Option(200, "--limit", help="At most this many entries."),
    json_out: bool = JSON_OPTION,
) -> None:
    """The journal entries with their postings, oldest first."""
    database = open_db()
    try:
        with database.reader() as uow:
            entries = uow.journal.entries(claim_id=claim, limit=limit)
    finally:
        database.close()
    if json_out:
        emit_json(
            [
                {
                    "id": e.id,
                    "kind": e.kind.value,
                    "date": e.date.isoformat(),
                    "claim_id": e.claim_id,
                    "narration": e.narration,
                    "carc": str(e.carc) if e.carc else None,
                    "reverses": e.reverses,
                    "remittance_id": e.remittance_id,
                    "postings": [
                        {
                            "account": p.account.name,
                            "amount": str(p.amount),
                            "claim_id": p.claim_id,
                            "line": p.line,
                        }
                        for p in e.postings
                    ],
                }
                for e in entries
            ]
        )
        return
    rows = []
    for e in entries:
        head = (
            f"{e.kind.value}"
            + (f" {e.carc}" if e.carc else "")
            + (f" (reverses {e.reverses})" if e.reverses else "")
        )
        for n, p in enumerate(e.postings):
            rows.append(
                [
                    e.id if n == 0 else "",
                    e.date if n == 0 else "",
                    head if n == 0 else "",
                    p.claim_id,
                    p.line,
                    p.account.name,
                    p.amount,
                ]
            )
    table("Journal", ["entry", "date", "kind", "claim", "line", "account", "amount"], rows, right={"amount"})


@ar_app.command("aging")
def aging(
    as_of: str | None = typer.Option(
        None, "--as-of", help="Age balances as of the end of this date (default today)."
    ),
    by: str | None = typer.Option(None, "--by", help="Rows by payer or by patient."),
    basis: str = typer.Option(
        "service", "--from", help="Age from the date of service (service) or of billing (billed)."
    ),
    json_out: bool = JSON_OPTION,
) -> None:
    """A/R aging: 0–30, 31–60, 61–90, 91–120 and over 120 days, with the total outstanding."""
    from medbill.ar.aging import BUCKETS, AgingBasis, AgingBy
    from medbill.core.errors import InputError
    from medbill.services.reports import aging as build

    try:
        group = AgingBy(by) if by else None
        start = AgingBasis(basis)
    except ValueError:
        raise InputError("--by is payer or patient; --from is service or billed") from None
    database = open_db()
    try:
        report = build(database, as_of=day(as_of, "--as-of"), by=group, basis=start)
    finally:
        database.close()
    if json_out:
        emit_json(report.to_dict())
        return
    labels = [label for label, _, _ in BUCKETS]
    rows = [[r.key, r.claims, *[r.buckets[b] for b in labels], r.total] for r in report.rows]
    rows.append(
        ["total", sum(r.claims for r in report.rows), *[report.buckets[b] for b in labels], report.total]
    )
    table(
        f"A/R aging as of {report.as_of.isoformat()} (days from {report.basis.value} date)",
        [group.value if group else "", "claims", *labels, "total"],
        rows,
        right={*labels, "total", "claims"},
    )


@ar_app.command("kpis")
def kpis(
    as_of: str | None = typer.Option(None, "--as-of", help="End of the period (default today)."),
    days: int = typer.Option(90, "--days", help="Length of the period in days (HFMA uses three months)."),
    json_out: bool = JSON_OPTION,
) -> None:
    """Revenue-cycle KPIs with their definitions (HFMA MAP Keys).

    Days in A/R, clean-claim rate, first-pass payment rate, denial rate, net collection rate."""
    from medbill.services.reports import kpis as compute

    database = open_db()
    try:
        values = compute(database, as_of=day(as_of, "--as-of"), period_days=days)
    finally:
        database.close()
    if json_out:
        emit_json([k.to_dict() for k in values])
        return
    for k in values:
        shown = (
            "n/a (nothing to measure)"
            if k.value is None
            else f"{k.value}{'%' if k.unit == '%' else ' ' + k.unit}"
        )
        console.print(f"[bold]{k.name}[/]: {shown}   ({k.numerator} / {k.denominator})", soft_wrap=True)
        console.print(f"  {k.definition}", soft_wrap=True, highlight=False)


@ar_app.command("statement")
def statement(
    patient: str = typer.Argument(
        ..., help="Patient key (LAST-FIRST-YYYYMMDD, see `ar aging --by patient`) or member id."
    ),
    output: Path = typer.Option(..., "-o", "--output", help="The PDF to write."),
    date: str | None = typer.Option(None, "--date", help="Statement date (default today)."),
    json_out: bool = JSON_OPTION,
) -> None:
    """Write a patient statement as PDF.

    Each open claim, what insurance paid and adjusted, what the patient paid and owes."""
    from medbill.services.reports import write_statement

    database = open_db()
    try:
        found = write_statement(database, patient, output, on=day(date, "--date"))
    finally:
        database.close()
    if json_out:
        emit_json({**found.to_dict(), "file": str(output)})
        return
    console.print(
        f"statement for {found.patient_key}: {len(found.lines)} claim(s), amount due {found.amount_due} → {output}",
        soft_wrap=True,
    )
