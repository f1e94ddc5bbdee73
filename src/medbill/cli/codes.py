"""`medbill codes ...`: show, validate, search and walk the official code sets as of a date."""

from datetime import date

import typer

from medbill.cli.common import EXIT_FINDINGS, console, emit_json

app = typer.Typer(
    help="Look up, validate and search codes (ICD-10-CM, ICD-10-PCS, HCPCS, CPT).", no_args_is_help=True
)

ON_HELP = "Date of service (YYYY-MM-DD); default: the newest installed release."
SYSTEM_CHOICES = ("icd10cm", "icd10pcs", "hcpcs", "cpt", "modifier")


def _on(value: str | None) -> date | None:
    from medbill.core.dates import parse_date

    return parse_date(value, what="--on") if value else None


def _system(value: str | None) -> str | None:
    from medbill.core.errors import InputError

    if value is not None and value not in SYSTEM_CHOICES:
        raise InputError(f"--system: {value!r} is not one of {', '.join(SYSTEM_CHOICES)}")
    return value


@app.command("show")
def show(
    code: str = typer.Argument(..., help="The code; dots optional (E1165 = E11.65)."),
    on: str | None = typer.Option(None, "--on", help=ON_HELP),
    system: str | None = typer.Option(None, "--system", help="icd10cm | icd10pcs | hcpcs | cpt | modifier"),
    as_json: bool = typer.Option(False, "--json", help="Print the record as JSON."),
) -> None:
    """Description, billable status, hierarchy, notes, 7th characters and valid range of a code."""
    from medbill.cli.codes_render import render_record
    from medbill.codesets import OutOfRangeError, open_kb
    from medbill.codesets.identify import lookup, validate
    from medbill.core.errors import InputError

    when = _on(on)
    kb = open_kb()
    record = lookup(kb, code, when, system=_system(system))
    if record is None:
        result = validate(kb, code, when, system=system)
        hint = f"; closest: {', '.join(result.suggestions)}" if result.suggestions else ""
        raise InputError(f"{code}: {result.reason}{hint}")
    data = record.to_dict()
    if data.get("system") == "icd10cm" and kb.has("mce"):
        try:
            data["mce_edits"] = [m.to_dict() for m in kb.mce.lists_for(record.code, when)]
        except OutOfRangeError:
            data["mce_edits"] = []
    if as_json:
        emit_json(data)
    else:
        render_record(data)


@app.command("validate")
def validate_command(
    codes: list[str] = typer.Argument(..., help="One or more codes."),
    on: str | None = typer.Option(None, "--on", help=ON_HELP),
    system: str | None = typer.Option(None, "--system", help="icd10cm | icd10pcs | hcpcs | cpt | modifier"),
    as_json: bool = typer.Option(False, "--json", help="Print a JSON list."),
) -> None:
    """Valid on that date? Billable? Headers list their billable codes, unknown codes the closest ones. Exit 1 if any is invalid."""
    from medbill.codesets import open_kb
    from medbill.codesets.identify import validate

    when = _on(on)
    kb = open_kb()
    results = [validate(kb, c, when, system=_system(system)) for c in codes]
    if as_json:
        emit_json([r.to_dict() for r in results])
    else:
        for r in results:
            mark = "[green]valid[/]" if r.valid else "[red]invalid[/]"
            bill = " billable" if r.billable else (" not billable" if r.valid else "")
            console.print(f"{r.code:10} {r.system:9} {mark}{bill} — {r.reason}", highlight=False)
            if r.description:
                console.print(f"           {r.description}", highlight=False)
            if r.suggestions:
                console.print(f"           try: {', '.join(r.suggestions[:12])}", highlight=False)
    if any(not r.valid for r in results):
        raise typer.Exit(EXIT_FINDINGS)


@app.command("search")
def search_command(
    text: str = typer.Argument(
        ..., help="Words to search, e.g. 'lung malignant primary' or 'T2DM with CKD'."
    ),
    system: str | None = typer.Option(None, "--system", help="icd10cm | icd10pcs | hcpcs"),
    limit: int = typer.Option(10, "--limit", min=1, max=200, help="Number of hits."),
    on: str | None = typer.Option(None, "--on", help=ON_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print a JSON list."),
) -> None:
    """Ranked codes from Index terms, Tabular descriptions and inclusion terms."""
    from rich.table import Table

    from medbill.codesets import open_kb
    from medbill.codesets.query import search

    if system is not None and system not in ("icd10cm", "icd10pcs", "hcpcs"):
        from medbill.core.errors import InputError

        raise InputError(f"--system: {system!r} is not one of icd10cm, icd10pcs, hcpcs")
    kb = open_kb()
    hits = search(kb, text, systems=(system,) if system else (), limit=limit, on=_on(on))
    if as_json:
        emit_json([h.to_dict() for h in hits])
        return
    if not hits:
        console.print("no match")
        return
    table = Table("code", "system", "description", "matched", "score")
    for h in hits:
        table.add_row(
            h.code, h.system, h.description, h.matched if h.matched != h.description else "", f"{h.score:.2f}"
        )
    console.print(table)


@app.command("index")
def index_command(
    path: str = typer.Argument(
        ..., help="'MAINTERM[, SUBTERM...]', e.g. 'Neoplasm, lung' or 'Acetaminophen'."
    ),
    table: str | None = typer.Option(
        None, "--table", help="neoplasm | drug | ecause | disease (default: all)"
    ),
    on: str | None = typer.Option(None, "--on", help=ON_HELP),
    depth: int = typer.Option(3, "--depth", min=1, max=20, help="Levels of the subtree to print."),
    as_json: bool = typer.Option(False, "--json", help="Print the subtree as JSON."),
) -> None:
    """Walk the Alphabetic Index, Neoplasm table, Drug table or External Cause index like a coder."""
    from medbill.cli.codes_render import render_index
    from medbill.codesets import open_kb

    kb = open_kb()
    nodes = kb.index.walk(path, table=table, on=_on(on))
    if as_json:
        emit_json([n.to_dict(depth=depth) for n in nodes])
    else:
        render_index(nodes, depth)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="codes")
