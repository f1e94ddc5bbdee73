"""835 → `Remittance`: one remittance per transaction set, with balancing checks as findings.

Mapped: BPR payment (amount, method, date, credit/debit, originator), TRN trace number, DTM*405
production date, payer (1000A) and payee (1000B), each 2100 claim (CLP, CAS, NM1*QC, MOA/MIA
remarks, DTM*232/233) with its 2110 service lines (SVC, DTM, CAS, REF*6R, AMT*B6, LQ*HE), and
PLB provider adjustments. The claims of a transaction set are mapped as each CLP loop closes, so
memory is bounded by one transaction set.
"""

from collections.abc import Iterator
from decimal import Decimal

from medbill.core.findings import Finding
from medbill.core.money import ZERO
from medbill.core.remittance import (
    ClaimPayment,
    Party,
    Payment,
    ProviderAdjustment,
    Remittance,
    ServicePayment,
)
from medbill.x12.balance import check_claim, check_transaction
from medbill.x12.cas import read_cas
from medbill.x12.envelope import TransactionSet
from medbill.x12.guide import Guide
from medbill.x12.lexer import Source
from medbill.x12.report import FindingSink
from medbill.x12.segment import Segment
from medbill.x12.structure import Loop, StructureParser
from medbill.x12.transactions import sets_of_kind
from medbill.x12.values import Values

_REVENUE_QUALIFIER = "NU"


def read_835(source: Source) -> tuple[list[Remittance], list[Finding]]:
    """Read every 835 transaction set of ``source`` (text, bytes, a path or a binary stream)."""
    sink = FindingSink()
    remittances = list(iter_835(source, sink))
    return remittances, sink.result()


def iter_835(source: Source, sink: FindingSink) -> Iterator[Remittance]:
    """Stream remittances, one per 835 transaction set; findings go to ``sink``."""
    for _kind, guide, transaction in sets_of_kind(source, ("835",), sink):
        remittance = map_835(guide, transaction, sink)
        if remittance is not None:
            yield remittance


def map_835(guide: Guide, transaction: TransactionSet, sink: FindingSink) -> Remittance | None:
    values = Values(sink, guide.source)
    parser = StructureParser(guide, sink, emit=frozenset({"2100"}), detach=frozenset({"2000", "2100"}))
    claims: list[ClaimPayment] = []
    root: Loop | None = None
    for loop, ancestors in parser.parse(transaction.segments()):
        if loop.id == "2100":
            claim = _claim(loop, values)
            check_claim(claim, loop.trigger, sink, guide.source)
            claims.append(claim)
        elif not ancestors:
            root = loop
    if root is None:
        return None
    bpr = root.first("BPR")
    if bpr is None:
        return None
    payment = _payment(bpr, root.first("TRN"), values)
    plb = [adjustment for seg in root.all("PLB") for adjustment in _plb(seg, values)]
    production = root.first("DTM", "405")
    remittance = Remittance(
        payer=_party(root.child("1000A")),
        payee=_party(root.child("1000B")),
        payment=payment,
        claims=tuple(claims),
        provider_adjustments=tuple(plb),
        production_date=values.date(production, 2, "production date") if production else None,
    )
    check_transaction(remittance, bpr, sink, guide.source)
    return remittance


def _payment(bpr: Segment, trn: Segment | None, values: Values) -> Payment:
    return Payment(
        amount=values.amount(bpr, 2, "total actual provider payment amount"),
        method=bpr.el(4),
        date=values.date(bpr, 16, "check issue or EFT effective date"),
        trace_number=trn.el(2) if trn else "",
        credit_debit=bpr.el(3) or "C",
        originator_id=(bpr.el(10) or (trn.el(3) if trn else "")) or None,
    )


def _party(loop: Loop | None) -> Party:
    if loop is None:
        return Party()
    n1 = loop.trigger
    address: dict[str, str] | None = None
    n3, n4 = loop.first("N3"), loop.first("N4")
    if n3 is not None or n4 is not None:
        address = {}
        if n3 is not None:
            address["line1"] = n3.el(1)
            if n3.el(2):
                address["line2"] = n3.el(2)
        if n4 is not None:
            address.update(city=n4.el(1), state=n4.el(2), zip=n4.el(3))
    return Party(name=n1.el(2), id=n1.el(4) or None, id_qualifier=n1.el(3) or None, address=address)


def patient_name(seg: Segment | None) -> str | None:
    """``LAST, FIRST MIDDLE`` from an NM1 patient name, as `ClaimPayment.patient_name` holds it."""
    if seg is None or not seg.el(3):
        return None
    given = " ".join(part for part in (seg.el(4), seg.el(5)) if part)
    return f"{seg.el(3)}, {given}" if given else seg.el(3)


def _claim(loop: Loop, values: Values) -> ClaimPayment:
    clp = loop.trigger
    remarks: list[str] = []
    moa = loop.first("MOA")
    if moa is not None:
        remarks += [moa.el(i) for i in range(3, 8) if moa.el(i)]
    mia = loop.first("MIA")
    if mia is not None:
        remarks += [mia.el(i) for i in (5, 20, 21, 22, 23) if mia.el(i)]
    start = loop.first("DTM", "232")
    end = loop.first("DTM", "233")
    return ClaimPayment(
        claim_id=clp.el(1),
        status=clp.el(2),
        charge=values.amount(clp, 3, "total claim charge amount"),
        paid=values.amount(clp, 4, "claim payment amount"),
        patient_responsibility=values.amount(clp, 5, "patient responsibility amount", required=False),
        claim_filing_indicator=clp.el(6) or None,
        payer_claim_number=clp.el(7) or None,
        patient_name=patient_name(loop.first("NM1", "QC")),
        service_date=values.date(start, 2, "statement from date") if start else None,
        service_date_end=values.date(end, 2, "statement to date") if end else None,
        adjustments=tuple(a for seg in loop.all("CAS") for a in read_cas(seg, values)),
        lines=tuple(_line(child, values) for child in loop.children("2110")),
        remarks=tuple(remarks),
    )


def _line(loop: Loop, values: Values) -> ServicePayment:
    svc = loop.trigger
    parts = svc.components(1)
    qualifier = parts[0] if parts else ""
    code = parts[1] if len(parts) > 1 else ""
    modifiers = tuple(m for m in parts[2:6] if m)
    revenue_code = svc.el(4) or None
    procedure = code
    if qualifier == _REVENUE_QUALIFIER:
        revenue_code, procedure, modifiers = code, "", ()
    units = values.quantity(svc, 5, "units of service paid count")
    start = end = None
    for dtm in loop.all("DTM"):
        day = values.date(dtm, 2, "service date")
        if dtm.el(1) in ("472", "150"):
            start = day
        if dtm.el(1) in ("472", "151"):
            end = day
    control = loop.first("REF", "6R")
    allowed = loop.first("AMT", "B6")
    return ServicePayment(
        procedure=procedure,
        modifiers=modifiers,
        charge=values.amount(svc, 2, "line item charge amount"),
        paid=values.amount(svc, 3, "line item provider payment amount"),
        units=units if units is not None else Decimal("1"),
        service_date=start,
        service_date_end=end if end != start else None,
        line_control_number=control.el(2) if control else None,
        revenue_code=revenue_code,
        allowed=values.amount(allowed, 2, "allowed actual") if allowed else None,
        adjustments=tuple(a for seg in loop.all("CAS") for a in read_cas(seg, values)),
        remarks=tuple(seg.el(2) for seg in loop.all("LQ") if seg.el(2)),
    )


def _plb(seg: Segment, values: Values) -> list[ProviderAdjustment]:
    out = []
    period = values.date(seg, 2, "fiscal period date")
    for first in range(3, 15, 2):
        identifier = seg.el(first)
        if not identifier:
            continue
        reason, _, reference = identifier.partition(seg.delimiters.component)
        amount = values.amount(seg, first + 1, "provider adjustment amount")
        out.append(
            ProviderAdjustment(
                provider_id=seg.el(1),
                fiscal_period_date=period,
                reason=reason,
                reference=reference or None,
                amount=amount,
            )
        )
    return out


def total_paid(remittance: Remittance) -> Decimal:
    """Σ CLP04 − Σ PLB: what BPR02 must equal."""
    paid = sum((c.paid for c in remittance.claims), ZERO)
    return paid - sum((a.amount for a in remittance.provider_adjustments), ZERO)
