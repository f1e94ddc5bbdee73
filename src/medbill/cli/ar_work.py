"""A biller's work on the journal: the exception and denial queues, patient payments, write-offs,
refunds, transfers, reversals, balance assertions and the journal check."""

from decimal import Decimal

import typer

from medbill.cli.ar_app import DATE_OPTION, JSON_OPTION, ar_app, day, open_db, table
from medbill.cli.common import EXIT_FINDINGS, console, emit_json

exceptions_app = typer.Typer(help="The exception queue: remittance items that could not post as they were.")
denials_app = typer.Typer(help="The denials queue: denied lines by category, with remark codes.")
ar_app.add_typer(exceptions_app, name="exceptions")
ar_app.add_typer(denials_app, name="denials")


def _amount(text: str | None, what: str) -> Decimal | None:
    from medbill.core.errors import InputError
    from medbill.core.money import money

    if text is None:
        return None
    try:
        return money(text)
    except ValueError:
        raise InputError(f"{what}: {text!r} is not an amount of money") from None


@exceptions_app.callback(invoke_without_command=True)
def exceptions(
    ctx: typer.Context,
    all_items: bool = typer.Option(False, "--all", help="Resolved ones too."),
    json_out: bool = JSON_OPTION,
) -> None:
    """List the open exceptions (resolve one with `medbill ar exceptions resolve ID`)."""
    if ctx.invoked_subcommand:
        return
    from medbill.ar.records import QueueStatus

    database = open_db()
    try:
        with database.reader() as uow:
            items = uow.queues.exceptions(status=None if all_items else QueueStatus.OPEN)
    finally:
        database.close()
    if json_out:
        emit_json(items)
        return
    table(
        f"A/R exceptions ({len(items)})",
        ["id", "kind", "claim", "amount", "status", "message"],
        [[i.id, i.kind, i.claim_id, i.amount, i.status.value, i.resolution or i.message] for i in items],
        right={"amount"},
    )


@exceptions_app.command("resolve")
def resolve_exception(
    exception_id: int = typer.Argument(..., help="The exception's id."),
    claim: str | None = typer.Option(None, "--claim", help="Apply the held claim payment to this claim."),
    note: str = typer.Option(
        "", "--note", help="Without --claim: close the exception with this note (its money stays unapplied)."
    ),
    date: str | None = DATE_OPTION,
) -> None:
    """Apply a held claim payment (to the claim it matched, or --claim), or close the exception with --note."""
    from medbill.services.queues import resolve_exception as resolve

    database = open_db()
    try:
        result = resolve(database, exception_id, claim_id=claim, note=note, on=day(date, "--date"))
    finally:
        database.close()
    console.print(result.message, soft_wrap=True)


@denials_app.callback(invoke_without_command=True)
def denials(
    ctx: typer.Context,
    category: str | None = typer.Option(
        None,
        "--category",
        help="Only this category (eligibility, authorization, coding_bundling, medical_necessity, timely_filing, duplicate, other).",
    ),
    all_items: bool = typer.Option(False, "--all", help="Resolved ones too."),
    json_out: bool = JSON_OPTION,
) -> None:
    """List the open denials grouped by category, with CARC and remark codes."""
    if ctx.invoked_subcommand:
        return
    from collections import defaultdict

    from medbill.ar.carc import DENIAL_CATEGORIES, carc_table
    from medbill.ar.records import DenialItem, QueueStatus
    from medbill.core.errors import InputError

    if category and category not in {c.value for c in DENIAL_CATEGORIES}:
        raise InputError(f"--category {category!r}: one of {', '.join(c.value for c in DENIAL_CATEGORIES)}")
    database = open_db()
    try:
        with database.reader() as uow:
            items = uow.queues.denials(status=None if all_items else QueueStatus.OPEN)
    finally:
        database.close()
    items = [d for d in items if not category or d.category.value == category]
    groups: dict[str, list[DenialItem]] = defaultdict(list)
    for item in items:
        groups[item.category.value].append(item)
    carcs = carc_table()
    if json_out:
        emit_json(
            {
                "total": str(sum((d.amount for d in items), Decimal("0.00"))),
                "categories": [
                    {
                        "category": name,
                        "label": carcs.label(group[0].category),
                        "count": len(group),
                        "amount": str(sum((d.amount for d in group), Decimal("0.00"))),
                        "denials": group,
                    }
                    for name, group in sorted(groups.items())
                ],
            }
        )
        return
    for _, group in sorted(groups.items()):
        table(
            f"{carcs.label(group[0].category)} — {len(group)} denial(s), "
            f"{sum((d.amount for d in group), Decimal('0.00'))}",
            ["id", "claim", "line", "procedure", "CARC", "reason", "remarks", "amount", "status"],
            [
                [
                    d.id,
                    d.claim_id,
                    d.line,
                    d.procedure,
                    str(d.carc),
                    carcs.get(d.carc.reason).label,
                    " ".join(d.remarks),
                    d.amount,
                    d.status.value,
                ]
                for d in group
            ],
            right={"amount"},
        )
    if not items:
        console.print("no denials")


@denials_app.command("resolve")
def resolve_denial(
    denial_id: int = typer.Argument(..., help="The denial's id."),
    write_off: bool = typer.Option(
        False, "--write-off", help="Write off what the denial left open on the payer."
    ),
    note: str = typer.Option("", "--note", help="What was done (appealed, corrected and rebilled, ...)."),
    date: str | None = DATE_OPTION,
) -> None:
    """Close a denial: write off its open balance, or record what was done about it."""
    from medbill.services.queues import resolve_denial as resolve

    database = open_db()
    try:
        result = resolve(database, denial_id, write_off_balance=write_off, note=note, on=day(date, "--date"))
    finally:
        database.close()
    console.print(result.message, soft_wrap=True)


@ar_app.command("pay")
def pay(
    claim: str = typer.Argument(..., help="The claim the patient pays for."),
    amount: str = typer.Argument(..., help="The amount received."),
    date: str | None = DATE_OPTION,
    note: str = typer.Option("", "--note"),
) -> None:
    """Record a patient payment on a claim."""
    from medbill.services.journal import record_patient_payment

    value = _amount(amount, "AMOUNT")
    assert value is not None
    database = open_db()
    try:
        entry = record_patient_payment(database, claim, value, on=day(date, "--date"), note=note)
    finally:
        database.close()
    console.print(f"entry {entry}: patient payment {value} on claim {claim}")


@ar_app.command("write-off")
def write_off(
    claim: str = typer.Argument(...),
    amount: str | None = typer.Option(None, "--amount", help="Default: everything open."),
    patient: bool = typer.Option(
        False, "--patient", help="Write off the patient's balance (default: the payer's)."
    ),
    reason: str = typer.Option(..., "--reason", help="Why (small balance, timely filing, bad debt, ...)."),
    date: str | None = DATE_OPTION,
) -> None:
    """Write off (part of) a claim's balance with the payer or the patient."""
    from medbill.services.journal import Payer, record_write_off

    database = open_db()
    try:
        entry = record_write_off(
            database,
            claim,
            whose=Payer.PATIENT if patient else Payer.INSURANCE,
            amount=_amount(amount, "--amount"),
            on=day(date, "--date"),
            reason=reason,
        )
    finally:
        database.close()
    console.print(f"entry {entry}: write-off on claim {claim}")


@ar_app.command("refund")
def refund(
    claim: str = typer.Argument(...),
    amount: str = typer.Argument(...),
    payer: bool = typer.Option(False, "--payer", help="Refund the payer (default: the patient)."),
    date: str | None = DATE_OPTION,
    note: str = typer.Option("", "--note"),
) -> None:
    """Refund an overpayment (a credit balance) to the patient or the payer."""
    from medbill.services.journal import Payer, record_refund

    value = _amount(amount, "AMOUNT")
    assert value is not None
    database = open_db()
    try:
        entry = record_refund(
            database,
            claim,
            whose=Payer.INSURANCE if payer else Payer.PATIENT,
            amount=value,
            on=day(date, "--date"),
            note=note,
        )
    finally:
        database.close()
    console.print(f"entry {entry}: refund {value} on claim {claim}")


@ar_app.command("transfer")
def transfer(
    claim: str = typer.Argument(...),
    source: str = typer.Option(..., "--from", help="Account, e.g. ar_patient:DOE-JANE-19800101"),
    target: str = typer.Option(..., "--to", help="Account, e.g. ar_insurance:12345"),
    amount: str | None = typer.Option(None, "--amount", help="Default: everything open on --from."),
    date: str | None = DATE_OPTION,
    note: str = typer.Option("", "--note"),
) -> None:
    """Move a claim's balance between receivables (e.g. back to a payer after a corrected claim)."""
    from medbill.ar.accounts import Account
    from medbill.services.journal import record_transfer

    database = open_db()
    try:
        entry = record_transfer(
            database,
            claim,
            source=Account.parse(source),
            target=Account.parse(target),
            amount=_amount(amount, "--amount"),
            on=day(date, "--date"),
            note=note,
        )
    finally:
        database.close()
    console.print(f"entry {entry}: transfer on claim {claim}")


@ar_app.command("reverse")
def reverse(
    entry_id: int = typer.Argument(..., help="The entry to undo."),
    date: str | None = DATE_OPTION,
    note: str = typer.Option("", "--note"),
) -> None:
    """Undo a journal entry with a reversal entry (the journal is never edited)."""
    from medbill.services.journal import reverse_entry

    database = open_db()
    try:
        new = reverse_entry(database, entry_id, on=day(date, "--date"), note=note)
    finally:
        database.close()
    console.print(f"entry {new} reverses entry {entry_id}")


@ar_app.command("assert")
def assert_balance(
    account: str = typer.Argument(
        ..., help="Account, e.g. cash, ar_insurance:12345, ar_patient:DOE-JANE-19800101"
    ),
    amount: str = typer.Argument(..., help="The balance it must have at the start of --date."),
    date: str | None = typer.Option(None, "--date", help="Default today."),
    claim: str | None = typer.Option(None, "--claim", help="Only this claim's postings."),
    note: str = typer.Option("", "--note"),
) -> None:
    """Write a balance assertion (Beancount's `balance`) and check it now; exit 1 when it fails."""
    from medbill.ar.accounts import Account
    from medbill.ar.assertions import BalanceAssertion
    from medbill.services.journal import add_assertion

    value = _amount(amount, "AMOUNT")
    assert value is not None
    database = open_db()
    try:
        result = add_assertion(
            database, BalanceAssertion(day(date, "--date"), Account.parse(account), value, claim, note)
        )
    finally:
        database.close()
    if result.ok:
        console.print(
            f"assertion {result.assertion.id}: {result.assertion.subject} is {result.actual} — holds"
        )
        return
    console.print(result.finding().message, highlight=False)
    raise typer.Exit(EXIT_FINDINGS)


@ar_app.command("check")
def check(json_out: bool = JSON_OPTION) -> None:
    """Check the journal: every entry balances, all postings sum to zero, every balance assertion holds.
    Exit 1 when something fails."""
    from medbill.services.journal import check_journal

    database = open_db()
    try:
        result = check_journal(database)
    finally:
        database.close()
    failures = [a.finding() for a in result.assertions if not a.ok]
    if json_out:
        emit_json(
            {
                "ok": result.ok,
                "entries": result.entries,
                "total": str(result.total),
                "unbalanced_entries": list(result.unbalanced_entries),
                "assertions": len(result.assertions),
                "failed_assertions": [f.to_dict() for f in failures],
            }
        )
    else:
        console.print(
            f"{result.entries} entries; postings sum to {result.total}; "
            f"{len(result.unbalanced_entries)} unbalanced entries; "
            f"{len(result.assertions) - len(failures)} of {len(result.assertions)} assertions hold",
            soft_wrap=True,
        )
        for f in failures:
            console.print(f"  {f.message}", highlight=False, soft_wrap=True)
    if not result.ok:
        raise typer.Exit(EXIT_FINDINGS)
