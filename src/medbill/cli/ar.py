"""`medbill db ...` and `medbill ar ...`: the transactional store and the accounts-receivable journal.

The `ar` commands live in `ar_post` (charge, post-era, secondary), `ar_work` (queues, a biller's
entries, assertions, check) and `ar_reports` (balance, journal, aging, kpis, statement).
"""

import typer

from medbill.cli import ar_post, ar_reports, ar_work
from medbill.cli.ar_app import ar_app
from medbill.cli.db import db_app

__all__ = ["ar_post", "ar_reports", "ar_work", "register"]


def register(app: typer.Typer) -> None:
    app.add_typer(db_app, name="db")
    app.add_typer(ar_app, name="ar")
