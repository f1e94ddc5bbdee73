"""`medbill em`: the office/outpatient E/M level (99202–99205, 99212–99215) from time, MDM or a note."""

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from medbill.cli.common import EXIT_OK, console, emit_json, err_console

if TYPE_CHECKING:
    from medbill.coding.em import EmLevel


def register(app: typer.Typer) -> None:
    app.command("em")(em)


def em(
    patient: Annotated[str | None, typer.Option("--patient", help="new or established (required)")] = None,
    minutes: Annotated[
        str | None, typer.Option("--time", metavar="MINUTES", help="Total time on the date of the encounter")
    ] = None,
    problems: Annotated[
        str | None, typer.Option("--problems", help="Problems addressed: minimal | low | moderate | high")
    ] = None,
    data: Annotated[
        str | None, typer.Option("--data", help="Data reviewed: minimal | limited | moderate | extensive")
    ] = None,
    risk: Annotated[
        str | None, typer.Option("--risk", help="Risk of management: minimal | low | moderate | high")
    ] = None,
    note: Annotated[
        str | None,
        typer.Option("--note", metavar="FILE|-", help="Read time and MDM elements from a note (- for stdin)"),
    ] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print the level as JSON")] = False,
) -> int:
    """The E/M level of an office/outpatient visit (AMA 2021+ guidelines), and why.

    Give the total time (--time), the three MDM elements (--problems, --data, --risk), or both.

    With both, the higher supported level wins. Or give a note (--note) that documents them.

    99211 is never the answer: it has no time or MDM threshold.
    """
    from medbill.coding.em import assess_note, level
    from medbill.core.errors import InputError

    if patient is None:  # checked here so that a missing option is an InputError like the others
        raise InputError("give --patient new or --patient established")
    mdm = {"problems": problems, "data": data, "risk": risk}
    if note is not None:
        if minutes is not None or any(v is not None for v in mdm.values()):
            raise InputError("--note cannot be combined with --time, --problems, --data or --risk")
        result = assess_note(_read_note(note), patient)
    elif minutes is None and all(v is None for v in mdm.values()):
        raise InputError(
            "nothing to level: give --time MINUTES, or --problems, --data and --risk, or --note FILE"
        )
    else:
        result = level(patient, minutes=_minutes(minutes), problems=problems, data=data, risk=risk)
    if json_output:
        emit_json(result.to_dict())
    else:
        _print_human(result)
    return EXIT_OK


def _minutes(value: str | None) -> int | None:
    from medbill.core.errors import InputError

    if value is None:
        return None
    try:
        return int(value.strip())
    except ValueError:
        raise InputError(f"--time: {value!r} is not a whole number of minutes") from None


def _read_note(name: str) -> str:
    from medbill.core.errors import InputError

    if name == "-":
        raw = sys.stdin.buffer.read()
        where = "standard input"
    else:
        path = Path(name)
        if not path.is_file():
            raise InputError(f"--note: {name}: no such file")
        raw = path.read_bytes()
        where = name
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        err_console.print(
            f"warning: {where} is not valid UTF-8 (byte {exc.start}); undecodable bytes replaced",
            highlight=False,
            markup=False,
        )
        return raw.decode("utf-8", errors="replace")


def _print_human(result: "EmLevel") -> None:
    console.print(
        f"[bold]{result.code}[/]  {result.patient.value} patient, by {result.basis.value}", highlight=False
    )
    console.print(result.reason, highlight=False, markup=False, soft_wrap=True)
    for line in result.notes:
        console.print(f"note: {line}", highlight=False, markup=False, soft_wrap=True)
    for ev in result.evidence:
        console.print(f"  [{ev.start}:{ev.end}] {ev.element}: {ev.text!r}", highlight=False, markup=False)
