"""CAS claim adjustment segments, shared by the 835 (payer adjustments) and the 837 (COB loops 2320/2430).

A CAS segment carries one group code (CAS01) and up to six reason/amount/quantity triplets
(CAS02-04, 05-07, ... 17-19). Writers group adjustments by group code in first-seen order.
"""

from collections.abc import Sequence

from medbill.core.claim import AdjustmentGroup, CasAdjustment
from medbill.core.findings import Severity
from medbill.core.money import x12_amount
from medbill.x12.segment import Segment
from medbill.x12.values import Values, x12_number

TRIPLETS = 6
_GROUPS = {g.value for g in AdjustmentGroup}


def read_cas(seg: Segment, values: Values) -> list[CasAdjustment]:
    """Every reason/amount/quantity triplet of one CAS segment."""
    group = seg.el(1)
    if group not in _GROUPS:
        values.sink.add(
            "x12.value.invalid",
            Severity.REJECT,
            f"CAS01 claim adjustment group {group!r} is not one of {', '.join(sorted(_GROUPS))}; adjustment skipped",
            seg,
            source=values.source,
        )
        return []
    out = []
    for first in range(2, 2 + 3 * TRIPLETS, 3):
        reason = seg.el(first)
        if not reason:
            continue
        amount = values.amount(seg, first + 1, "adjustment amount")
        quantity = values.quantity(seg, first + 2, "adjustment quantity")
        if len(reason) > 5:
            values.sink.add(
                "x12.value.invalid",
                Severity.REJECT,
                f"CAS{first:02d} reason code {reason!r} is longer than 5 characters; adjustment skipped",
                seg,
                source=values.source,
            )
            continue
        out.append(
            CasAdjustment(group=AdjustmentGroup(group), reason=reason, amount=amount, quantity=quantity)
        )
    return out


def cas_elements(adjustments: Sequence[CasAdjustment]) -> list[list[str]]:
    """CAS segments (as element lists, without the id) for ``adjustments``, six triplets each.

    >>> from decimal import Decimal
    >>> a = CasAdjustment(group="CO", reason="45", amount=Decimal("10"))
    >>> b = CasAdjustment(group="PR", reason="2", amount=Decimal("5.5"), quantity=Decimal("1"))
    >>> cas_elements([a, b])
    [['CO', '45', '10'], ['PR', '2', '5.5', '1']]
    """
    groups: dict[str, list[CasAdjustment]] = {}
    for adjustment in adjustments:
        groups.setdefault(adjustment.group.value, []).append(adjustment)
    segments = []
    for group, items in groups.items():
        for start in range(0, len(items), TRIPLETS):
            elements = [group]
            for item in items[start : start + TRIPLETS]:
                quantity = x12_number(item.quantity) if item.quantity is not None else ""
                elements += [item.reason, x12_amount(item.amount), quantity]
            while elements and elements[-1] == "":
                elements.pop()
            segments.append(elements)
    return segments
