"""`medbill serve`, `medbill worker`, `medbill demo`, `medbill users ...`, `medbill fhir ...`."""

import json
import os
import subprocess
import sys
from pathlib import Path

import typer

from medbill.cli.common import EXIT_OK, console, emit_json, err_console

users_app = typer.Typer(
    help="Accounts of the web app: add users, set passwords, create API tokens.", no_args_is_help=True
)
fhir_app = typer.Typer(
    help="FHIR R4 in and out: import a Bundle, export a Claim or an ExplanationOfBenefit.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
    app.command("worker")(worker)
    app.command("demo")(demo)
    app.add_typer(users_app, name="users")
    app.add_typer(fhir_app, name="fhir")


def serve(
    host: str = typer.Option("127.0.0.1", help="address to listen on"),
    port: int = typer.Option(8000, help="port to listen on"),
    database_url: str | None = typer.Option(
        None, "--database-url", help="default: MEDBILL_DATABASE_URL or SQLite in MEDBILL_HOME"
    ),
    worker_process: bool = typer.Option(
        True, "--worker/--no-worker", help="with MEDBILL_REDIS_URL: start an RQ worker"
    ),
) -> None:
    """Start the web app and API (migrates the database first). GET /api/health answers when ready."""
    import uvicorn

    from medbill.api.app import create_app

    app = create_app(database_url, migrate=True)
    worker = None
    if worker_process and os.environ.get("MEDBILL_REDIS_URL") and app.state.medbill.runner.backend == "rq":
        env = dict(os.environ)
        if database_url:
            env["MEDBILL_DATABASE_URL"] = database_url
        worker = subprocess.Popen([sys.executable, "-m", "medbill.cli.main", "worker"], env=env)
    err_console.print(f"medbill on http://{host}:{port}/ (database: {app.state.medbill.database.url})")
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False, proxy_headers=True)
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=10)


def worker(burst: bool = typer.Option(False, help="stop when the queue is empty")) -> None:
    """Run background jobs from Redis (MEDBILL_REDIS_URL) with RQ."""
    from medbill.core.errors import InputError

    url = os.environ.get("MEDBILL_REDIS_URL")
    if not url:
        raise InputError("set MEDBILL_REDIS_URL (without Redis, `medbill serve` runs jobs in-process)")
    import redis
    from rq import Queue, Worker

    from medbill.services.jobs import QUEUE_NAME

    connection = redis.Redis.from_url(url)
    Worker([Queue(QUEUE_NAME, connection=connection)], connection=connection).work(burst=burst)


def demo(
    notes: int = typer.Option(
        0, help="also take up to N MTSamples notes from the data mirror (when present)"
    ),
    as_json: bool = typer.Option(False, "--json", help="print the summary as JSON"),
) -> None:
    """Create a demo practice and run the whole cycle: code notes, build and check claims, write the 837,
    adjudicate it with the sandbox payer, post the 835, print aging. Leaves it browsable in the app."""
    from medbill.services.demo import run_demo

    summary = run_demo(extra_notes=notes, progress=lambda m: err_console.print(f"[dim]• {m}[/]"))
    if as_json:
        emit_json(summary)
        raise typer.Exit(EXIT_OK)
    console.print("\n[bold]Demo practice ready.[/]")
    for key in (
        "encounters",
        "coder",
        "codes_suggested",
        "suggestions_accepted",
        "codes_added_by_coder",
        "codes_accepted",
        "claims",
        "clean_claims",
        "fixed_claims",
        "batch",
        "paid",
        "denied_lines",
    ):
        console.print(f"  {key.replace('_', ' ')}: {summary[key]}")
    console.print("\n[bold]A/R aging[/] (as of today)")
    for bucket, amount in summary["aging"]["buckets"].items():
        console.print(f"  {bucket:>8}  ${amount}")
    console.print(f"  {'total':>8}  ${summary['aging']['total']}")
    if summary["accounts"]:
        console.print(
            "\n[bold]Demo accounts[/] (passwords shown once; change them with `medbill users passwd`):"
        )
        for a in summary["accounts"]:
            console.print(f"  {a['role']:<8} {a['username']:<14} {a['password']}")
    console.print("\nBrowse it: [bold]medbill serve[/] then open http://127.0.0.1:8000/ and sign in.")


@users_app.command("add")
def users_add(
    username: str,
    role: str = typer.Option(..., help="admin | coder | biller | auditor"),
    full_name: str = typer.Option("", "--name", help="full name"),
    password: str | None = typer.Option(None, help="default: asked for (not echoed)"),
) -> None:
    """Create a user."""
    from medbill.practice.accounts import Role
    from medbill.services.accounts import create_user
    from medbill.storage import open_database

    secret = password or typer.prompt("password", hide_input=True, confirmation_prompt=True)
    user = create_user(open_database(), username, full_name, Role(role), secret)
    console.print(f"created {user.username} ({user.role.value})")


@users_app.command("list")
def users_list(as_json: bool = typer.Option(False, "--json")) -> None:
    """List users."""
    from medbill.services.accounts import list_users
    from medbill.storage import open_database

    found = list_users(open_database())
    if as_json:
        emit_json(
            [
                {"username": u.username, "full_name": u.full_name, "role": u.role.value, "active": u.active}
                for u in found
            ]
        )
        return
    for u in found:
        console.print(
            f"{u.username:<16} {u.role.value:<8} {'active' if u.active else 'inactive':<9} {u.full_name}"
        )


@users_app.command("passwd")
def users_passwd(username: str, password: str | None = typer.Option(None)) -> None:
    """Set a user's password."""
    from medbill.services.accounts import set_password
    from medbill.storage import open_database

    secret = password or typer.prompt("new password", hide_input=True, confirmation_prompt=True)
    set_password(open_database(), username, secret)
    console.print(f"password of {username} changed")


@users_app.command("token")
def users_token(username: str, name: str = typer.Option("cli", help="what the token is for")) -> None:
    """Create an API token for a user (printed once)."""
    from medbill.core.errors import InputError
    from medbill.services.accounts import create_token
    from medbill.storage import open_database

    database = open_database()
    with database.reader() as uow:
        found = uow.users.by_username(username)
    if found is None:
        raise InputError(f"there is no user {username!r}")
    secret, _ = create_token(database, found[0], name)
    console.print(secret)


@fhir_app.command("import")
def fhir_import(
    bundle: Path,
    code: bool = typer.Option(False, help="code the note at once"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Import a FHIR R4 Bundle (Patient, Coverage, Encounter, Condition, Procedure, Practitioner,
    Organization, DocumentReference) as an encounter to code and bill."""
    from medbill.core.errors import InputError
    from medbill.services.fhir_io import import_bundle
    from medbill.services.system_actor import cli_actor
    from medbill.storage import open_database

    try:
        data = json.loads(bundle.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError(f"{bundle}: not a readable JSON file ({exc})") from None
    database = open_database()
    result = import_bundle(database, cli_actor(database, what=f"fhir import {bundle.name}"), data, code=code)
    if as_json:
        emit_json(result)
    else:
        console.print(
            f"encounter {result['encounter_id']} for patient {result['patient_id']} "
            f"({result['conditions']} conditions, {result['procedures']} procedures imported)"
        )


@fhir_app.command("export-claim")
def fhir_export_claim(claim_id: str, output: Path = typer.Option(None, "-o", help="default: stdout")) -> None:
    """A claim of the worklist as a FHIR R4 Claim resource."""
    from medbill.services.fhir_io import export_claim
    from medbill.services.system_actor import cli_actor
    from medbill.storage import open_database

    database = open_database()
    _write(
        export_claim(database, cli_actor(database, what=f"fhir export-claim {claim_id}"), claim_id), output
    )


@fhir_app.command("export-eob")
def fhir_export_eob(claim_id: str, output: Path = typer.Option(None, "-o", help="default: stdout")) -> None:
    """The posted remittance of a claim as a FHIR R4 ExplanationOfBenefit."""
    from medbill.services.fhir_io import export_eob
    from medbill.services.system_actor import cli_actor
    from medbill.storage import open_database

    database = open_database()
    _write(export_eob(database, cli_actor(database, what=f"fhir export-eob {claim_id}"), claim_id), output)


def _write(document: dict[str, object], output: Path | None) -> None:
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    if output is None:
        sys.stdout.write(text)
        return
    temp = output.with_suffix(output.suffix + ".tmp")
    temp.write_text(text, encoding="utf-8")
    temp.replace(output)
