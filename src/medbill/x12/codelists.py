"""Acknowledgment code lists (999 error codes, 277 claim status categories), loaded from ``guides/codes.yaml``.

>>> describe("segment_error", "3"), describe("ack_status", "R"), describe("set_error", "ZZ")
('Required segment missing', 'Rejected', 'code ZZ')
>>> category_outcome("A7"), category_outcome("A2"), category_outcome("P1")
('rejected', 'accepted', 'other')
"""

from functools import cache
from importlib import resources
from typing import Any

import yaml


@cache
def _lists() -> dict[str, Any]:
    text = resources.files("medbill.x12.guides").joinpath("codes.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


def describe(code_list: str, code: str) -> str:
    """The meaning of ``code`` in ``code_list`` (``code X`` when the list does not have it)."""
    entry = _lists()[code_list].get(code)
    if entry is None:
        return f"code {code}"
    return str(entry["text"] if isinstance(entry, dict) else entry)


def category_outcome(category: str) -> str:
    """``accepted``, ``rejected``, ``acknowledged`` or ``other`` for a claim status category code."""
    entry = _lists()["status_category"].get(category)
    return str(entry["outcome"]) if entry else "other"
