"""The fee schedule amount of one code in one locality and setting, with its trace.

    amount = [(work RVU × work GPCI) + (PE RVU × PE GPCI) + (MP RVU × MP GPCI)] × CF

computed exactly in Decimal and rounded half-up to cents (the fee schedule amount CMS publishes
per locality). The PE RVU is the facility or non-facility one by setting. For imaging codes with
OPPS values in the RVU file (the Deficit Reduction Act cap, RVU file README), the amount is the
lower of that and [(work RVU × work GPCI) + (OPPS PE RVU × PE GPCI) + (OPPS MP RVU × MP GPCI)] × CF.
"""

from dataclasses import dataclass
from decimal import Decimal

from medbill.codesets.mpfs import RvuRecord
from medbill.codesets.mpfs_section import SourceRelease
from medbill.core.money import money
from medbill.pricing.model import TraceStep
from medbill.pricing.setting import Setting


@dataclass(frozen=True, slots=True)
class Gpci:
    """The three GPCIs of a locality and where they came from."""

    work: Decimal
    pe: Decimal
    mp: Decimal
    locality: str
    source: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class UnitFee:
    """The fee schedule amount for one unit (cents), its practice-expense part, and the trace."""

    amount: Decimal
    pe_amount: Decimal
    trace: tuple[TraceStep, ...]


def rvu_source(source: SourceRelease, row: RvuRecord) -> str:
    key = f"{row.hcpcs}-{row.modifier}" if row.modifier else row.hcpcs
    return f"{source.name} ({source.file}) {key}"


def unit_fee(
    row: RvuRecord, source: SourceRelease, gpci: Gpci, setting: Setting, *, trace: bool = True
) -> UnitFee:
    """Price one unit of `row` (the RVU row already chosen for the line's modifiers)."""
    facility = setting is Setting.FACILITY
    pe_rvu = row.pe_facility if facility else row.pe_nonfacility
    cf = row.conversion_factor
    exact = (row.work * gpci.work + pe_rvu * gpci.pe + row.mp * gpci.mp) * cf
    amount = money(exact)
    pe_amount = money(pe_rvu * gpci.pe * cf)
    if not trace:
        opps = _opps_amount(row, gpci, facility)
        return UnitFee(min(amount, opps) if opps is not None else amount, pe_amount, ())
    where = rvu_source(source, row)
    pe_label = "facility PE RVU" if facility else "non-facility PE RVU"
    gpci_where = f"{gpci.source} {gpci.locality}"
    steps = [
        TraceStep("work RVU", str(row.work), where, source.note),
        TraceStep(pe_label, str(pe_rvu), where),
        TraceStep("MP RVU", str(row.mp), where),
        TraceStep("work GPCI", str(gpci.work), gpci_where, gpci.note),
        TraceStep("PE GPCI", str(gpci.pe), gpci_where),
        TraceStep("MP GPCI", str(gpci.mp), gpci_where),
        TraceStep(
            "conversion factor", str(cf), f"{source.name} ({source.file}) CONV FACTOR, {source.variant}"
        ),
        TraceStep(
            "fee schedule amount",
            str(amount),
            note=(
                f"[({row.work} × {gpci.work}) + ({pe_rvu} × {gpci.pe}) + ({row.mp} × {gpci.mp})] × {cf}"
                f" = {exact.normalize():f}, rounded half-up to cents"
            ),
        ),
    ]
    opps = _opps_amount(row, gpci, facility)
    if opps is not None:
        opps_pe = row.opps_pe_facility if facility else row.opps_pe_nonfacility
        capped = opps < amount
        steps.append(
            TraceStep(
                "OPPS imaging cap",
                str(opps),
                where,
                f"[({row.work} × {gpci.work}) + ({opps_pe} × {gpci.pe}) + ({row.opps_mp} × {gpci.mp})] × {cf}; "
                + ("lower than the fee schedule amount: the cap applies" if capped else "not lower: no cap"),
            )
        )
        if capped:
            amount = opps
    return UnitFee(amount, pe_amount, tuple(steps))


def _opps_amount(row: RvuRecord, gpci: Gpci, facility: bool) -> Decimal | None:
    opps_pe = row.opps_pe_facility if facility else row.opps_pe_nonfacility
    if not opps_pe and not row.opps_mp:
        return None
    return money((row.work * gpci.work + opps_pe * gpci.pe + row.opps_mp * gpci.mp) * row.conversion_factor)
