"""Helpers shared by the commands: JSON output, consoles, exit statuses.

Exit statuses: 0 success; 1 findings of severity reject/deny (or invalid codes); 2 usage or input
error. Commands raise `InputError`/`DataError`; `medbill.cli.main.run` turns them into status 2.
"""

import json
import sys
from collections.abc import Iterable
from dataclasses import asdict, is_dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

from rich.console import Console

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_INPUT = 2

console = Console()
err_console = Console(stderr=True)


def to_jsonable(value: Any) -> Any:
    """Turn domain values (pydantic models, dataclasses, Decimal, dates, enums) into JSON-ready data."""
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    if hasattr(value, "to_dict"):
        return to_jsonable(value.to_dict())
    if is_dataclass(value) and not isinstance(value, type):
        return to_jsonable(asdict(value))
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Path):
        return str(value)
    return value


def emit_json(value: Any) -> None:
    """Print one JSON document to stdout."""
    sys.stdout.write(json.dumps(to_jsonable(value), indent=2, ensure_ascii=False) + "\n")


def emit_json_lines(values: Iterable[Any]) -> None:
    """Print one compact JSON object per line to stdout."""
    for value in values:
        sys.stdout.write(json.dumps(to_jsonable(value), ensure_ascii=False, separators=(",", ":")) + "\n")
        sys.stdout.flush()
