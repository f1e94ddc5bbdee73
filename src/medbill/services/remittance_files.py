"""Reading a remittance file: an X12 835 interchange (through `medbill.x12.read_835`), or the JSON /
YAML form of `medbill.core.remittance.Remittance` (one object or a list), as `medbill edi parse
--json` writes it. A file that cannot be read is an `InputError` that says what and where."""

import json
from typing import Any

import yaml
from pydantic import ValidationError

from medbill.core.errors import InputError
from medbill.core.remittance import Remittance

BALANCING_RULES = "x12.835.balance."


def read_remittances(data: bytes, *, name: str) -> list[Remittance]:
    text = decode(data, name)
    stripped = text.lstrip("\ufeff \t\r\n")
    if stripped.startswith("ISA"):
        return _read_x12(stripped, name)
    if not stripped:
        raise InputError(f"{name}: the file is empty")
    try:
        loaded: Any = json.loads(stripped) if stripped[0] in "[{" else yaml.safe_load(stripped)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise InputError(f"{name}: neither an X12 835 (no ISA segment) nor JSON/YAML: {exc}") from None
    items = loaded if isinstance(loaded, list) else [loaded]
    remittances = []
    for i, item in enumerate(items):
        try:
            remittances.append(Remittance.model_validate(item))
        except ValidationError as exc:
            where = f"{name}[{i}]" if isinstance(loaded, list) else name
            problems = tuple(
                f"{'.'.join(str(p) for p in err['loc']) or '(top)'}: {err['msg']}" for err in exc.errors()
            )
            raise InputError(f"{where}: not a valid remittance", problems[:20]) from None
    return remittances


def decode(data: bytes, name: str) -> str:
    """The file's text: UTF-8 (without a byte-order mark), else Latin-1."""
    for encoding in ("utf-8", "latin-1"):
        try:
            return data.decode(encoding).removeprefix("\ufeff")
        except UnicodeDecodeError:
            continue
    raise InputError(f"{name}: not a text file")  # pragma: no cover - latin-1 decodes any bytes


def _read_x12(text: str, name: str) -> list[Remittance]:
    from medbill.x12 import read_835

    remittances, findings = read_835(text)
    # Amounts that do not balance are not a reason to refuse the file: posting holds them in the
    # exception queue. Anything else blocking means the file cannot be trusted at all.
    blocking = [f for f in findings if f.severity.blocking and not f.rule.startswith(BALANCING_RULES)]
    if blocking:
        problems = tuple(f.message for f in blocking)
        raise InputError(f"{name}: the 835 is malformed; nothing was posted", problems[:20])
    if not remittances:
        raise InputError(f"{name}: no 835 transaction set in the file; nothing was posted")
    return remittances
