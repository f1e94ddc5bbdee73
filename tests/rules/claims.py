"""Base claims for the scrubber tests: synthetic patients, valid-looking NPIs, 2026 Q2 dates."""

import copy
from pathlib import Path
from typing import Any

import yaml

BASE_DIR = Path(__file__).parent / "bases"
_CACHE: dict[str, dict[str, Any]] = {}


def load_base(name: str) -> dict[str, Any]:
    """A fresh copy of a base claim as plain data (YAML dates become ISO strings)."""
    if name not in _CACHE:
        path = BASE_DIR / f"{name}.yaml"
        _CACHE[name] = _plain(yaml.safe_load(path.read_text(encoding="utf-8")))
    return copy.deepcopy(_CACHE[name])


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value
