"""The `medbill ar` command group and what its commands share (database option, dates, tables).

Heavy modules (SQLAlchemy, reportlab) are imported inside the commands, so `medbill --help` stays fast.
"""

import datetime as dt
from typing import TYPE_CHECKING, Any

import typer
from rich.table import Table

from medbill.cli.common import console
from medbill.core.dates import parse_date

if TYPE_CHECKING:
    from medbill.storage import Database

ar_app = typer.Typer(
    help="The accounts-receivable journal: charges, remittance posting, work queues, reports.",
    no_args_is_help=True,
)

_state: dict[str, str | None] = {"url": None}


@ar_app.callback()
def _ar(
    database_url: str | None = typer.Option(
        None,
        "--database-url",
        envvar="MEDBILL_DATABASE_URL",
        help="Database URL (default: medbill.db in MEDBILL_HOME).",
        show_envvar=True,
    ),
) -> None:
    """The accounts-receivable journal."""
    _state["url"] = database_url


def open_db() -> "Database":
    """The store, at the newest schema (else a message to run `medbill db upgrade`)."""
    from medbill.storage import open_database

    return open_database(_state["url"])


def day(text: str | None, what: str) -> dt.date:
    """A date option (YYYY-MM-DD); today when not given."""
    return parse_date(text, what=what) if text else dt.date.today()


JSON_OPTION = typer.Option(False, "--json", help="Print the result as JSON.")
DATE_OPTION = typer.Option(None, "--date", help="Date of the entry (YYYY-MM-DD; default today).")


def table(title: str, columns: list[str], rows: list[list[Any]], *, right: set[str] | None = None) -> None:
    """Print a Rich table (amount columns right-aligned)."""
    out = Table(title=title, show_lines=False)
    for column in columns:
        out.add_column(column, justify="right" if right and column in right else "left")
    for row in rows:
        out.add_row(*[("" if v is None else str(v)) for v in row])
    console.print(out)
