"""Read claims from JSON, YAML and JSONL files into `Claim` values.

Every problem in a file is reported at once, each with its JSON path (0-based list indexes, as in
JSONPath): a claim with a bad unit count and no payer raises one `InputError` whose `problems` are
`lines[2].units: ...` and `payer: required field is missing`.

Numbers are read exactly: the loaders keep the text of every JSON/YAML number, so `"charge": 0.1`
is `Decimal("0.10")`, never a binary float, and a place of service written as `11` is accepted as
the code `"11"`. YAML is read with YAML 1.2 booleans (only `true`/`false`), so `NO` or `Y` stay text.

>>> claim = parse_claim('{"claim_id": "A1"}', source="inline.json")
Traceback (most recent call last):
...
medbill.core.errors.InputError: inline.json: 3 problems in the claim
  - payer: required field is missing
  - billing_provider: required field is missing
  - subscriber: required field is missing
"""

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from medbill.core.claim import Claim
from medbill.core.errors import InputError

JSON_SUFFIXES = (".json",)
YAML_SUFFIXES = (".yaml", ".yml")
JSONL_SUFFIXES = (".jsonl", ".ndjson")


def parse_claim(text: str, *, source: str = "<claim>", fmt: str | None = None) -> Claim:
    """Parse one claim from JSON or YAML text (`fmt` "json"/"yaml"; sniffed when None)."""
    return claim_from_data(_parse_document(text, source=source, fmt=fmt), source=source)


def read_claim(path: str | Path) -> Claim:
    """Read one claim from a `.json`, `.yaml` or `.yml` file."""
    claims = read_claims(path)
    if len(claims) != 1:
        raise InputError(f"{path}: expected one claim, found {len(claims)}")
    return claims[0]


def read_claims(path: str | Path) -> list[Claim]:
    """Read every claim in a file: one claim, a JSON array of claims, YAML documents, or JSONL.

    Raises one `InputError` listing the problems of every claim (paths prefixed `[i]` in arrays).
    """
    file = Path(path)
    text = _read_text(file)
    fmt = _format_of(file)
    if fmt == "jsonl":
        items = list(iter_jsonl(text.splitlines(), source=str(file)))
        problems = [p for item in items if item.error for p in _prefixed(item.error, f"line {item.line}")]
        if problems:
            raise InputError(f"{file}: {len(problems)} problems in the claims", tuple(problems))
        return [item.claim for item in items if item.claim is not None]
    documents = _parse_documents(text, source=str(file), fmt=fmt)
    if len(documents) == 1 and not isinstance(documents[0], list):
        return [claim_from_data(documents[0], source=str(file))]
    data = documents[0] if len(documents) == 1 else documents
    claims: list[Claim] = []
    problems = []
    for index, item in enumerate(data):
        try:
            claims.append(claim_from_data(item, source=f"{file}[{index}]"))
        except InputError as exc:
            problems.extend(_prefixed(exc, f"[{index}]"))
    if problems:
        raise InputError(f"{file}: {len(problems)} problems in the claims", tuple(problems))
    return claims


@dataclass(frozen=True, slots=True)
class BatchItem:
    """One line of a JSONL batch: its 1-based line number and either a claim or the error."""

    line: int
    claim: Claim | None
    error: InputError | None = None
    claim_id: str | None = None


def iter_jsonl(lines: Iterable[str], *, source: str = "<batch>") -> Iterator[BatchItem]:
    """Read a JSONL batch lazily; a bad line becomes a `BatchItem` with its error, the rest go on.

    Blank lines are skipped (their numbers still count, so line numbers match an editor's).
    """
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        where = f"{source}:{number}"
        try:
            data = _loads_json(raw, source=where)
        except InputError as exc:
            yield BatchItem(number, None, exc)
            continue
        claim_id = data.get("claim_id") if isinstance(data, dict) else None
        try:
            claim = claim_from_data(data, source=where)
        except InputError as exc:
            yield BatchItem(number, None, exc, claim_id if isinstance(claim_id, str) else None)
            continue
        yield BatchItem(number, claim, None, claim.claim_id)


def claim_from_data(data: Any, *, source: str = "<claim>") -> Claim:
    """Validate parsed JSON/YAML data as a claim; `InputError` lists every problem with its path."""
    if not isinstance(data, dict):
        raise InputError(f"{source}: expected a claim (a JSON/YAML object), got {_kind(data)}")
    bad_dates: list[str] = []
    data = _dates(data, "", bad_dates)
    problems: list[str] = [f"{path}: not a date (expected YYYY-MM-DD)" for path in bad_dates]
    try:
        claim = Claim.model_validate(data)
    except ValidationError as exc:
        problems += [
            p
            for p in (_describe(error) for error in exc.errors(include_url=False))
            if p.split(":", 1)[0] not in bad_dates
        ]
    if problems:
        noun = "problem" if len(problems) == 1 else "problems"
        raise InputError(f"{source}: {len(problems)} {noun} in the claim", tuple(problems)) from None
    return claim


def _is_date_key(key: object) -> bool:
    return isinstance(key, str) and (key == "date" or key.endswith(("_date", "_date_end")))


def _dates(value: Any, path: str, bad: list[str]) -> Any:
    """Dates as ISO text: `YYYYMMDD` (the X12 form) is converted; other digit strings, which pydantic
    would read as Unix timestamps, are reported as not dates."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            where = f"{path}.{key}" if path else str(key)
            if _is_date_key(key) and isinstance(item, str) and item.strip().isdigit():
                digits = item.strip()
                if len(digits) == 8:
                    item = f"{digits[:4]}-{digits[4:6]}-{digits[6:]}"
                else:
                    bad.append(where)
            out[key] = _dates(item, where, bad)
        return out
    if isinstance(value, list):
        return [_dates(item, f"{path}[{i}]", bad) for i, item in enumerate(value)]
    return value


def json_path(loc: Iterable[int | str]) -> str:
    """Render a pydantic error location as a JSON path.

    >>> json_path(("lines", 2, "units")), json_path(("diagnoses", 0)), json_path(())
    ('lines[2].units', 'diagnoses[0]', '$')
    """
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text or "$"


# --- parsing ---------------------------------------------------------------------------------


class _ExactLoader(yaml.SafeLoader):
    """SafeLoader that keeps numbers as their text and reads only true/false as booleans."""


def _number_text(loader: yaml.SafeLoader, node: yaml.Node) -> str:
    return str(loader.construct_scalar(node))  # type: ignore[arg-type]


def _bool_or_text(loader: yaml.SafeLoader, node: yaml.Node) -> bool | str:
    text = str(loader.construct_scalar(node))  # type: ignore[arg-type]
    lowered = text.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    return text


_ExactLoader.add_constructor("tag:yaml.org,2002:int", _number_text)
_ExactLoader.add_constructor("tag:yaml.org,2002:float", _number_text)
_ExactLoader.add_constructor("tag:yaml.org,2002:bool", _bool_or_text)


def _read_text(file: Path) -> str:
    try:
        return file.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"{file}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{file}: is a directory, not a claim file") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{file}: not UTF-8 text (byte {exc.start}); claim files are JSON or YAML") from None


def _format_of(file: Path) -> str | None:
    suffix = file.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    if suffix in JSON_SUFFIXES:
        return "json"
    if suffix in YAML_SUFFIXES:
        return "yaml"
    return None


def _loads_json(text: str, *, source: str) -> Any:
    try:
        return json.loads(text, parse_float=str, parse_int=str, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{source}: not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        ) from None
    except ValueError as exc:
        raise InputError(f"{source}: not valid JSON: {exc}") from None


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def _parse_document(text: str, *, source: str, fmt: str | None) -> Any:
    documents = _parse_documents(text, source=source, fmt=fmt)
    if len(documents) != 1:
        raise InputError(f"{source}: expected one claim, found {len(documents)} YAML documents")
    return documents[0]


def _parse_documents(text: str, *, source: str, fmt: str | None) -> list[Any]:
    if fmt == "json" or (fmt is None and text.lstrip()[:1] in ("{", "[")):
        return [_loads_json(text, source=source)]
    try:
        documents = [doc for doc in yaml.load_all(text, Loader=_ExactLoader) if doc is not None]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1} column {mark.column + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise InputError(f"{source}: neither JSON nor YAML: {problem}{where}") from None
    if not documents:
        raise InputError(f"{source}: the file is empty; expected a claim")
    return documents


def _describe(error: Any) -> str:
    path = json_path(part for part in error["loc"] if isinstance(part, (int, str)))
    if error["type"] == "missing":
        return f"{path}: required field is missing"
    if error["type"] == "extra_forbidden":
        return f"{path}: unknown field (check the spelling; see `medbill claims schema`)"
    message = str(error["msg"])
    if error["type"] == "string_pattern_mismatch":
        message = _PATTERN_HINTS.get(str(error["loc"][-1]), "does not have the required form")
    elif error["type"].startswith(("date_", "datetime_")):
        message = "not a valid date (expected YYYY-MM-DD)"
    if message.startswith("Value error, "):
        message = message[len("Value error, ") :]
    value = error.get("input")
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        shown = repr(value) if len(repr(value)) <= 40 else repr(value)[:37] + "...'"
        message += f" (got {shown})"
    elif value is not None and not isinstance(value, (tuple, dict)):
        message += f" (got {_kind(value)})"
    return f"{path}: {message}"


_PATTERN_HINTS = {
    "zip": "a ZIP code is 5 digits or ZIP+4 (12345-6789)",
    "type": "must be auto, employment or other",
}


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "text"
    return type(value).__name__


def _prefixed(exc: InputError, prefix: str) -> list[str]:
    if exc.problems:
        return [f"{prefix}: {p}" for p in exc.problems]
    return [f"{prefix}: {exc.args[0]}"]
