"""Spreading an amount over the open balances of a claim's lines, oldest line first.

>>> allocate(money("70"), {1: money("50"), 2: money("40")})
{1: Decimal('50.00'), 2: Decimal('20.00')}
>>> allocate(money("100"), {1: money("50"), 2: money("40")})
{1: Decimal('50.00'), 2: Decimal('40.00'), None: Decimal('10.00')}
"""

from collections.abc import Mapping
from decimal import Decimal

from medbill.core.money import ZERO, money


def allocate(amount: Decimal, open_by_line: Mapping[int | None, Decimal]) -> dict[int | None, Decimal]:
    """Apply `amount` to the lines with a balance of the same sign, in line order; what is left
    (more than is open) goes to the claim as a whole (line None)."""
    remaining = money(amount)
    result: dict[int | None, Decimal] = {}
    sign = 1 if remaining >= 0 else -1
    lines = sorted(line for line in open_by_line if line is not None)
    for line in lines:
        if remaining == 0:
            break
        available = open_by_line[line] * sign
        if available <= 0:
            continue
        take = min(available, remaining * sign) * sign
        result[line] = take
        remaining -= take
    if remaining != 0:
        result[None] = result.get(None, ZERO) + remaining
    return result
