"""The root `medbill` command. Each area lives in its own module with a `register(app)` function.

Modules keep heavy imports inside their command functions so that `medbill --help` stays fast.
"""

import importlib
import sys

import click
import typer

from medbill.cli.common import EXIT_INPUT, err_console
from medbill.core.errors import MedbillError

# Typer ≥ 0.20 carries its own copy of click (`typer._click`) and raises that copy's exceptions;
# older releases raise click's. Catch both, so a usage error is a message and exit 2, never a traceback.
_ABORT: tuple[type[BaseException], ...] = (click.exceptions.Abort, typer.Abort)
_EXIT: tuple[type[BaseException], ...] = (click.exceptions.Exit, typer.Exit)
_USAGE: tuple[type[BaseException], ...] = (click.ClickException,)
try:
    from typer._click import exceptions as _typer_click  # type: ignore[import-not-found,unused-ignore]

    _USAGE += (_typer_click.ClickException,)
except ImportError:  # typer that uses click itself
    pass

AREAS = (
    "medbill.cli.data",  # data sync / status / build
    "medbill.cli.codes",  # codes show / validate / search / index
    "medbill.cli.coding",  # code, em, eval
    "medbill.cli.em",  # em (E/M level)
    "medbill.cli.claims",  # claims check / schema, rules list
    "medbill.cli.edi",  # edi write-837 / parse, forms cms1500 / ub04
    "medbill.cli.pricing",  # price
    "medbill.cli.ar",  # db upgrade, ar ..., sandbox adjudicate
    "medbill.cli.app",  # serve, demo, fhir
)


def build_app() -> typer.Typer:
    app = typer.Typer(
        name="medbill",
        help="Medical coding and billing: notes → codes → checked, priced claims → X12 → a balanced ledger.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
    )

    @app.callback()
    def _root() -> None:
        """medbill: open-source medical coding and billing."""

    for name in AREAS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue
            raise
        module.register(app)
    return app


def run(argv: list[str] | None = None) -> None:
    """Entry point of the `medbill` script."""
    command = typer.main.get_command(build_app())
    try:
        status = command.main(args=argv, prog_name="medbill", standalone_mode=False)
    except _ABORT:
        err_console.print("aborted")
        sys.exit(EXIT_INPUT)
    except _EXIT as exc:
        sys.exit(getattr(exc, "exit_code", 0))
    except _USAGE as exc:
        exc.show()  # type: ignore[attr-defined]
        sys.exit(EXIT_INPUT)
    except MedbillError as exc:
        err_console.print(f"[bold red]error:[/] {exc}", highlight=False, markup=True)
        sys.exit(EXIT_INPUT)
    sys.exit(status if isinstance(status, int) else 0)


if __name__ == "__main__":
    run()
