"""`medbill db ...`: create and migrate the transactional store.

Registered by `medbill.cli.ar` (the area module listed in `medbill.cli.main`).
"""

import typer

from medbill.cli.common import console, emit_json

db_app = typer.Typer(
    help="The transactional store: apply migrations, show the schema revision.", no_args_is_help=True
)

URL_OPTION = typer.Option(
    None, "--url", help="Database URL (default: MEDBILL_DATABASE_URL, else medbill.db in MEDBILL_HOME)."
)


@db_app.command("upgrade")
def upgrade(
    url: str | None = URL_OPTION,
    revision: str = typer.Option("head", help="Target revision."),
    sql: bool = typer.Option(False, "--sql", help="Print the SQL instead of running it."),
    json_out: bool = typer.Option(False, "--json", help="Print the result as JSON."),
) -> None:
    """Apply the database migrations (creates the SQLite file when it does not exist)."""
    from medbill.storage import migrate, open_database, resolve_url

    if sql:
        migrate.upgrade_sql(resolve_url(url), revision)
        return
    database = open_database(url, require_current=False)
    try:
        before = database.status().current
        after = database.upgrade(revision)
    finally:
        database.close()
    result = {"url": database.url, "from": before, "to": after.current, "head": after.head}
    if json_out:
        emit_json(result)
    elif before == after.current:
        console.print(f"{database.url}: already at revision {after.current}", soft_wrap=True)
    else:
        console.print(f"{database.url}: upgraded from {before or 'empty'} to {after.current}", soft_wrap=True)


@db_app.command("status")
def status(
    url: str | None = URL_OPTION,
    json_out: bool = typer.Option(False, "--json", help="Print the result as JSON."),
) -> None:
    """Show the schema revision of the database and the newest this medbill knows."""
    from medbill.storage import open_database

    database = open_database(url, require_current=False)
    try:
        state = database.status()
    finally:
        database.close()
    result = {
        "url": database.url,
        "backend": database.backend,
        "current": state.current,
        "head": state.head,
        "up_to_date": state.up_to_date,
    }
    if json_out:
        emit_json(result)
        return
    note = "up to date" if state.up_to_date else "needs `medbill db upgrade`"
    console.print(
        f"{database.url} ({database.backend}): revision {state.current or 'empty'}, head {state.head} — {note}",
        soft_wrap=True,
    )


@db_app.command("revision", hidden=True)
def revision(
    message: str = typer.Option(..., "-m", "--message", help="What the migration does."),
    autogenerate: bool = typer.Option(True, help="Compare the tables with a database at head."),
    url: str | None = URL_OPTION,
) -> None:
    """(developers) Write the next numbered migration into the package's versions folder."""
    from medbill.storage import migrate, open_database

    database = open_database(url)
    try:
        path = migrate.new_revision(database.engine, message, autogenerate=autogenerate)
    finally:
        database.close()
    console.print(f"wrote {path}; read it, tidy it, and run it on SQLite and PostgreSQL")
