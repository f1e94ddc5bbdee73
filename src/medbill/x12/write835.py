"""Remittances → one 835 interchange (005010X221A1), e.g. for a sandbox payer's electronic remittance.

Each `Remittance` becomes one transaction set: BPR (payment), TRN (trace number), DTM*405, payer
(1000A: N1/N3/N4 and the PER*BL technical contact from the config) and payee (1000B), one LX
header, a CLP loop per claim (CAS, NM1*QC, MOA remarks, DTM*232/233) with its SVC lines (DTM, CAS,
REF*6R, AMT*B6, LQ*HE), and PLB provider adjustments. Remittances that do not balance, or that lack
what the guide requires (payer address, payee id, payer claim numbers, ...), stop the write with
an `InputError` listing every problem. What is written reads back to the same remittances.
"""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from medbill.core.errors import InputError
from medbill.core.money import x12_amount
from medbill.core.remittance import ClaimPayment, Remittance, ServicePayment
from medbill.x12.balance import check_claim, check_transaction
from medbill.x12.cas import cas_elements
from medbill.x12.config import X12Config, load_config
from medbill.x12.control import ControlNumberStore
from medbill.x12.guide import load_guide
from medbill.x12.report import FindingSink
from medbill.x12.values import d8, x12_number
from medbill.x12.writer import Body, GroupOut, TransactionBody, render_interchange

VERSION = "005010X221A1"
ACH_METHODS = frozenset({"ACH", "BOP", "FWT"})
PLB_PAIRS = 6
# CLP06 claim filing indicator codes of the 005010X221A1 835 (narrower than the 837's SBR09 list)
CLP06_CODES = frozenset(
    {
        "12",
        "13",
        "14",
        "15",
        "16",
        "17",
        "AM",
        "CH",
        "DS",
        "HM",
        "LM",
        "MA",
        "MB",
        "MC",
        "OF",
        "TV",
        "VA",
        "WC",
        "ZZ",
    }
)


def write_835(
    remittances: Iterable[Remittance],
    config: "X12Config | dict[str, Any] | str",
    *,
    store: ControlNumberStore | None = None,
    now: dt.datetime | None = None,
) -> str:
    """The 835 interchange for ``remittances``; raises `InputError` listing every problem."""
    settings = load_config(config)
    items = list(remittances)
    if not items:
        raise InputError("no remittances to write")
    problems = [p for number, r in enumerate(items, start=1) for p in check_remittance(r, settings, number)]
    if problems:
        raise InputError("cannot write the 835", tuple(problems))
    store = store or ControlNumberStore()
    allocation = store.allocate(
        f"{settings.sender_qualifier}:{settings.sender_id}", interchanges=1, groups=1, transactions=len(items)
    )
    transactions = []
    for remittance, number in zip(items, allocation.transactions, strict=True):
        control = f"{number:04d}"
        # ST03 is "not used" in the 835 TR3: the version travels in GS08 only
        transactions.append(TransactionBody("835", control, "", _body(remittance, settings)))
    group = GroupOut("HP", VERSION, allocation.groups[0], transactions)
    return render_interchange(settings, allocation.interchanges[0], [group], now or dt.datetime.now())


def check_remittance(remittance: Remittance, config: X12Config, number: int) -> list[str]:
    """What keeps ``remittance`` (the ``number``-th) from being a valid, balanced 835."""
    where = f"remittance {number}"
    problems = []
    payment = remittance.payment
    if payment.date is None:
        problems.append(f"{where}: payment.date is required (BPR16)")
    if not payment.trace_number:
        problems.append(f"{where}: payment.trace_number is required (TRN02)")
    if not payment.originator_id:
        problems.append(
            f"{where}: payment.originator_id is required (TRN03, '1' followed by the payer's EIN)"
        )
    if payment.method in ACH_METHODS and config.bank is None:
        problems.append(
            f"{where}: payment by {payment.method} needs the bank accounts (config 'bank', BPR06-15)"
        )
    address = remittance.payer.address or {}
    if not all(address.get(k) for k in ("line1", "city")):
        problems.append(f"{where}: payer.address (line1, city, state, zip) is required (1000A N3/N4)")
    if config.payer_contact is None:
        problems.append("config: payer_contact is required (1000A PER*BL payer technical contact)")
    if not (remittance.payee.id and remittance.payee.id_qualifier in ("XX", "FI", "XV")):
        problems.append(
            f"{where}: payee.id with id_qualifier XX (NPI), FI (tax id) or XV is required (1000B N1)"
        )
    for claim in remittance.claims:
        if not claim.payer_claim_number:
            problems.append(f"{where}: claim {claim.claim_id}: payer_claim_number is required (CLP07)")
        if claim.claim_filing_indicator not in CLP06_CODES:
            problems.append(
                f"{where}: claim {claim.claim_id}: claim_filing_indicator {claim.claim_filing_indicator!r} is not "
                f"an 835 CLP06 code ({', '.join(sorted(CLP06_CODES))})"
            )
        if len(claim.remarks) > 5:
            problems.append(f"{where}: claim {claim.claim_id}: at most 5 claim remark codes (MOA03-07)")
    if remittance.provider_adjustments and not (
        payment.date
        or remittance.production_date
        or all(a.fiscal_period_date for a in remittance.provider_adjustments)
    ):
        problems.append(f"{where}: provider adjustments need a fiscal_period_date (PLB02)")
    problems += [f"{where}: {f.message}" for f in _balance(remittance)]
    return problems


def _balance(remittance: Remittance) -> list[Any]:
    sink = FindingSink()
    source = load_guide("835").source
    for claim in remittance.claims:
        check_claim(claim, None, sink, source)
    check_transaction(remittance, None, sink, source)
    return [f for f in sink.result() if f.rule.startswith("x12.835.balance")]


def _body(remittance: Remittance, config: X12Config) -> Body:
    body = Body(config.delimiters, uppercase=config.uppercase)
    payment = remittance.payment
    assert payment.date is not None
    amount = x12_amount(payment.amount)
    if payment.method in ACH_METHODS:
        bank = config.bank
        assert bank is not None
        body.add(
            "BPR", "C", amount, payment.credit_debit, payment.method, "CCP",
            "01", bank.payer_routing, "DA", bank.payer_account, payment.originator_id, "",
            "01", bank.payee_routing, bank.account_type, bank.payee_account, d8(payment.date),
        )  # fmt: skip
    else:
        handling = "H" if payment.amount == 0 and payment.method == "NON" else "I"
        body.add("BPR", handling, amount, payment.credit_debit, payment.method, *[""] * 11, d8(payment.date))
    body.add("TRN", "1", payment.trace_number, payment.originator_id)
    if remittance.production_date is not None:
        body.add("DTM", "405", d8(remittance.production_date))
    payer = remittance.payer
    if payer.id and payer.id_qualifier == "XV":
        body.add("N1", "PR", body.text(payer.name), "XV", payer.id)
    else:
        body.add("N1", "PR", body.text(payer.name))
    _address(body, payer.address)
    contact = config.payer_contact
    assert contact is not None
    channels: list[str] = []
    for code, value in (("TE", contact.phone), ("EM", contact.email), ("UR", contact.url)):
        if value:
            channels += [code, value]
    body.add("PER", "BL", body.text(contact.name), *channels[:6])
    payee = remittance.payee
    body.add("N1", "PE", body.text(payee.name), payee.id_qualifier, payee.id)
    _address(body, payee.address)
    if remittance.claims:
        body.add("LX", "1")
        for claim in remittance.claims:
            _claim(body, claim)
    _plb(body, remittance)
    return body


def _address(body: Body, address: dict[str, str] | None) -> None:
    if not address:
        return
    body.add("N3", body.text(address.get("line1")), body.text(address.get("line2")))
    body.add(
        "N4",
        body.text(address.get("city")),
        address.get("state", ""),
        address.get("zip", "").replace("-", ""),
    )


def _claim(body: Body, claim: ClaimPayment) -> None:
    body.add(
        "CLP",
        claim.claim_id,
        claim.status,
        x12_amount(claim.charge),
        x12_amount(claim.paid),
        x12_amount(claim.patient_responsibility) if claim.patient_responsibility else "",
        claim.claim_filing_indicator,
        claim.payer_claim_number,
    )
    for elements in cas_elements(claim.adjustments):
        body.add("CAS", *elements)
    last, _, given = (claim.patient_name or "").partition(", ")
    first, _, middle = given.partition(" ")
    body.add("NM1", "QC", "1", body.text(last), body.text(first), body.text(middle))
    if claim.remarks:
        body.add("MOA", "", "", *claim.remarks)
    if claim.service_date is not None:
        body.add("DTM", "232", d8(claim.service_date))
    if claim.service_date_end is not None:
        body.add("DTM", "233", d8(claim.service_date_end))
    for line in claim.lines:
        _line(body, line)


def _line(body: Body, line: ServicePayment) -> None:
    if line.procedure:
        composite = ["HC", line.procedure, *line.modifiers]
        revenue = line.revenue_code or ""
    else:
        composite, revenue = ["NU", line.revenue_code or ""], ""
    units = x12_number(line.units) if line.units is not None and line.units != 1 else ""
    body.add("SVC", composite, x12_amount(line.charge), x12_amount(line.paid), revenue, units)
    if line.service_date is not None:
        if line.service_date_end is not None and line.service_date_end != line.service_date:
            body.add("DTM", "150", d8(line.service_date))
            body.add("DTM", "151", d8(line.service_date_end))
        else:
            body.add("DTM", "472", d8(line.service_date))
    for elements in cas_elements(line.adjustments):
        body.add("CAS", *elements)
    if line.line_control_number:
        body.add("REF", "6R", line.line_control_number)
    if line.allowed is not None:
        body.add("AMT", "B6", x12_amount(line.allowed))
    for remark in line.remarks:
        body.add("LQ", "HE", remark)


def _plb(body: Body, remittance: Remittance) -> None:
    fallback = remittance.production_date or remittance.payment.date
    groups: dict[tuple[str, dt.date | None], list[Any]] = {}
    for adjustment in remittance.provider_adjustments:
        key = (adjustment.provider_id, adjustment.fiscal_period_date or fallback)
        groups.setdefault(key, []).append(adjustment)
    for (provider, period), adjustments in groups.items():
        for start in range(0, len(adjustments), PLB_PAIRS):
            pairs: list[Any] = []
            for adjustment in adjustments[start : start + PLB_PAIRS]:
                identifier = (
                    [adjustment.reason, adjustment.reference] if adjustment.reference else [adjustment.reason]
                )
                pairs += [identifier, x12_amount(adjustment.amount)]
            body.add("PLB", provider, d8(period) if period else "", *pairs)
