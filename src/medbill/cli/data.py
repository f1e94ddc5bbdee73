"""`medbill data ...`: sync official releases, build the knowledge base, show what is installed."""

from pathlib import Path

import typer

from medbill.cli.common import EXIT_INPUT, EXIT_OK, console, emit_json, err_console

app = typer.Typer(help="Official releases and the knowledge base: sync, build, status.", no_args_is_help=True)


@app.command("sync")
def sync_command(
    mirror: Path | None = typer.Option(
        None,
        "--mirror",
        help="Folder laid out like shared/data to copy releases from (default: MEDBILL_DATA_MIRROR).",
    ),
    only: list[str] = typer.Option(
        [], "--only", help="Release id or system[/component] to sync (repeatable)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the outcome as JSON."),
) -> None:
    """Download the releases of the manifest from their publishers (or copy them from a mirror), checking checksums."""
    from medbill.codesets.service import sync_releases
    from medbill.settings import get_settings

    settings = get_settings()
    source = mirror or settings.data_mirror
    with err_console.status("syncing releases") as spinner:
        outcomes = sync_releases(
            settings, mirror=source, only=only, progress=lambda m: spinner.update(f"syncing {m}")
        )
    failed = [o for o in outcomes if o.status == "failed"]
    if as_json:
        emit_json([{"release": o.release_id, "status": o.status, "detail": o.detail} for o in outcomes])
    else:
        for o in outcomes:
            colour = {"installed": "green", "unchanged": "dim", "skipped": "yellow", "failed": "red"}[
                o.status
            ]
            console.print(f"[{colour}]{o.status:9}[/] {o.release_id}  {o.detail}", highlight=False)
    if failed:
        for o in failed:
            err_console.print(f"[bold red]error:[/] {o.detail}", highlight=False)
        raise typer.Exit(EXIT_INPUT)


@app.command("build")
def build_command(
    as_json: bool = typer.Option(False, "--json", help="Print the build report as JSON."),
) -> None:
    """Compile every installed release into the knowledge base (atomic: a failed build keeps the old base)."""
    from medbill.codesets.service import build_kb
    from medbill.settings import get_settings

    settings = get_settings()
    with err_console.status("building the knowledge base") as spinner:
        report = build_kb(settings, progress=lambda m: spinner.update(m))
    if as_json:
        emit_json(
            {
                "path": str(report.path),
                "seconds": round(report.seconds, 1),
                "sections": report.sections,
                "releases": report.releases,
                "search_terms": report.search_terms,
            }
        )
        return
    console.print(f"built {report.path} in {report.seconds:.1f} s ({report.search_terms:,} search terms)")
    for release_id, rows in report.releases.items():
        console.print(f"  {release_id:34} {rows:>9,} rows")


@app.command("status")
def status_command(as_json: bool = typer.Option(False, "--json", help="Print the status as JSON.")) -> None:
    """Which releases are installed, their dates and row counts, and what is missing."""
    from rich.table import Table

    from medbill.codesets.service import status
    from medbill.settings import get_settings

    report = status(get_settings())
    if as_json:
        emit_json(report)
        return
    console.print(f"knowledge base: {report['kb']['path']} — {report['kb']['state']}")
    table = Table("release", "effective", "installed", "rows in kb", "note")
    for r in report["releases"]:
        effective = f"{r['effective_from']}..{r['effective_to'] or ''}"
        rows = f"{r['rows']:,}" if r["rows"] is not None else "—"
        table.add_row(r["id"], effective, "yes" if r["installed"] else "no", rows, r["note"] or r["source"])
    console.print(table)
    raise typer.Exit(EXIT_OK)


@app.command("add-cpt")
def add_cpt_command(
    file: Path = typer.Argument(
        ..., help="CSV/TSV/XLSX with CPT code and descriptor columns (AMA-licensed)."
    ),
    release: str = typer.Option(..., "--release", help="A name for this file's release, e.g. 'CPT 2026'."),
    effective_from: str = typer.Option(
        ..., "--effective-from", help="First date it is in force (YYYY-MM-DD)."
    ),
    effective_to: str | None = typer.Option(None, "--effective-to", help="Last date it is in force."),
    code_column: str | None = typer.Option(
        None, "--code-column", help="Header of the code column (default: guessed)."
    ),
    descriptor_column: str | None = typer.Option(
        None, "--descriptor-column", help="Header of the descriptor column (default: guessed)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the outcome as JSON."),
) -> None:
    """Install your licensed CPT file (never shipped with medbill); then run `medbill data build`."""
    from medbill.codesets.cpt.install import add_cpt
    from medbill.core.dates import parse_date
    from medbill.settings import get_settings

    result = add_cpt(
        get_settings(),
        file,
        name=release,
        effective_from=parse_date(effective_from, what="--effective-from"),
        effective_to=parse_date(effective_to, what="--effective-to") if effective_to else None,
        code_column=code_column,
        descriptor_column=descriptor_column,
    )
    if as_json:
        emit_json(result)
    else:
        console.print(
            f"installed {result['rows']:,} CPT codes as release {result['id']}; now run `medbill data build`"
        )


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="data")
