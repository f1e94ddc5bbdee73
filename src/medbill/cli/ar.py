"""`medbill db ...` and `medbill ar ...`: the transactional store and the accounts-receivable journal."""

import typer

from medbill.cli.db import db_app


def register(app: typer.Typer) -> None:
    app.add_typer(db_app, name="db")
