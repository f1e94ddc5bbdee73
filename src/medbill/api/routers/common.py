"""Helpers the routers share: paging parameters and page building."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import Query

from medbill.api.schemas import PageOut
from medbill.practice.records import Page


@dataclass(frozen=True, slots=True)
class Paging:
    offset: int
    limit: int


def paging(
    offset: int = Query(0, ge=0, le=1_000_000, description="items to skip"),
    limit: int = Query(50, ge=1, le=500, description="items per page"),
) -> Paging:
    return Paging(offset, limit)


def page_of(page: Page, convert: Callable[[Any], Any]) -> dict[str, Any]:
    return {
        "items": [convert(i) for i in page.items],
        "total": page.total,
        "offset": page.offset,
        "limit": page.limit,
    }


__all__ = ["PageOut", "Paging", "page_of", "paging"]
