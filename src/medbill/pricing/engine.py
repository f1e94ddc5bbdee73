"""Price a claim: the expected allowed amount of each line and the patient's estimated share.

Steps, each leaving a trace on the line:

1. setting (facility / non-facility PE) from the line's place of service (else the claim's);
2. locality from the service facility's ZIP (else the billing provider's) → GPCIs;
3. the RVU row for the code and its pricing modifier (26, TC, 53) in the release of the date of
   service; its status code decides whether the fee schedule pays it (`medbill.pricing.status`);
4. the one-unit fee schedule amount (`medbill.pricing.fee`), rounded half-up to cents;
5. modifier percentages (bilateral, assistant, co-surgeon, team — `medbill.pricing.modifiers`),
   one paid unit per unit billed (fractional units pro rata);
6. rules across the lines of a day (`medbill.pricing.reductions`) and the injection rule (status T);
7. a contract, when given, replaces or scales the Medicare amount (`medbill.pricing.contracts`);
8. the lower of the charge and the amount; the line's sum rounded half-up to cents (once);
9. the patient's share (`medbill.pricing.responsibility`).

Rounding rule: the one-unit fee schedule amount is rounded half-up to cents (as CMS publishes it);
every later percentage and reduction is applied exactly, and the line's allowed amount is rounded
half-up to cents once at the end.
"""

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from medbill.codesets.mpfs import RvuRecord
from medbill.codesets.mpfs_section import RVU_SOURCE, Mpfs, SourceRelease
from medbill.core.claim import Claim, ClaimType, PayerType
from medbill.core.findings import Finding, Severity, Source
from medbill.core.money import ZERO, money
from medbill.pricing.contracts import Contract, Method, Schedule
from medbill.pricing.fee import Gpci, UnitFee, rvu_source, unit_fee
from medbill.pricing.lines import LineWork, Unit
from medbill.pricing.locality import Locality, resolve_locality
from medbill.pricing.model import ClaimPrice, LinePrice, TraceStep
from medbill.pricing.modifiers import modifier_effect
from medbill.pricing.reductions import apply_component_reductions, apply_multiple_procedures, bilateral_pairs
from medbill.pricing.responsibility import MEDICARE_PART_B_COINSURANCE, Benefits, patient_shares
from medbill.pricing.setting import Setting, setting_for
from medbill.pricing.status import Treatment, status_rule

PRICING_MODIFIERS = ("26", "TC", "53")
OTHER_SCHEDULE_CODE = re.compile(r"[A-V]\d{4}|\d{4}U")
"""HCPCS Level II and proprietary lab (PLA) codes: absent from the RVU file, they belong to other schedules."""


def price_claim(
    claim: Claim,
    kb: Any = None,
    contract: Contract | None = None,
    benefits: Benefits | None = None,
) -> tuple[ClaimPrice, list[Finding]]:
    """Price every line of `claim`; `kb` is the knowledge base (or its MPFS section)."""
    mpfs = mpfs_of(kb)
    pricer = _ClaimPricer(claim, mpfs, contract)
    return pricer.run(benefits)


def mpfs_of(kb: Any) -> Mpfs:
    """The MPFS section of `kb` (the knowledge base, an `Mpfs`, or None for the default one)."""
    if isinstance(kb, Mpfs):
        return kb
    if kb is None:
        from medbill.pricing.sources import default_mpfs

        return default_mpfs()
    section = getattr(kb, "mpfs", None)
    if not isinstance(section, Mpfs):
        raise TypeError("kb must be the knowledge base (with an MPFS section) or an Mpfs section")
    return section


class _ClaimPricer:
    def __init__(self, claim: Claim, mpfs: Mpfs, contract: Contract | None) -> None:
        self.claim = claim
        self.mpfs = mpfs
        self.contract = contract
        self.findings: list[Finding] = []
        self._localities: dict[dt.date, Locality | None] = {}
        default_provider = (
            claim.rendering_provider.npi if claim.rendering_provider else claim.billing_provider.npi
        )
        self.works = [
            LineWork(
                number=index,
                line=line,
                provider=line.rendering_provider.npi if line.rendering_provider else default_provider,
            )
            for index, line in enumerate(claim.lines, start=1)
        ]
        self._settings: dict[int, tuple[Setting, Gpci]] = {}

    # -- the claim --------------------------------------------------------------------------
    def run(self, benefits: Benefits | None) -> tuple[ClaimPrice, list[Finding]]:
        if self.contract and self.contract.payers and self.claim.payer.id not in self.contract.payers:
            self.findings.append(
                Finding(
                    "pricing.contract-payer",
                    Severity.WARN,
                    f"contract {self.contract.id} is for payers {', '.join(self.contract.payers)}, "
                    f"not {self.claim.payer.id}",
                )
            )
        if self.claim.type == ClaimType.INSTITUTIONAL:
            self.findings.append(
                Finding(
                    "pricing.institutional-claim",
                    Severity.WARN,
                    "the physician fee schedule prices professional services; institutional claims are paid "
                    "under facility payment systems (OPPS, IPPS) that medbill does not estimate",
                )
            )
            for work in self.works:
                work.note("allowed", "not estimated", "institutional claim")
        else:
            for work in self.works:
                self._price_line(work)
        self._injections()
        for work in self.works:
            work.unreduced = work.amount
        pairs = bilateral_pairs(self.works)
        self.findings += apply_multiple_procedures(self.works, pairs, self._base_fee)
        apply_component_reductions(self.works)
        finished = [self._finish(work) for work in self.works]
        allowed = [amount for amount, _ in finished]
        shares = patient_shares(allowed, self._benefits(benefits))
        lines = []
        for work, (amount, reduction), share in zip(self.works, finished, shares, strict=True):
            trace = list(work.trace)
            if share.total:
                trace.append(
                    TraceStep(
                        "patient responsibility",
                        str(share.total),
                        note=f"deductible {share.deductible} + copay {share.copay} + coinsurance {share.coinsurance}",
                    )
                )
            lines.append(
                LinePrice(
                    line=work.number,
                    procedure=work.line.procedure,
                    modifiers=work.line.modifiers,
                    units=work.line.units,
                    charge=work.line.charge,
                    allowed=amount,
                    priced=work.priced,
                    basis=work.basis,
                    trace=tuple(trace),
                    patient=share,
                    reduction=reduction,
                )
            )
        return ClaimPrice(self.claim.claim_id, tuple(lines)), self.findings

    def _benefits(self, benefits: Benefits | None) -> Benefits:
        if benefits is not None:
            return benefits
        if self.claim.payer.type == PayerType.MEDICARE:
            self.findings.append(
                Finding(
                    "pricing.benefits-assumed",
                    Severity.INFO,
                    "no benefits given: Medicare Part B 20% coinsurance assumed, deductible assumed met",
                )
            )
            return Benefits(coinsurance=MEDICARE_PART_B_COINSURANCE)
        self.findings.append(
            Finding(
                "pricing.benefits-missing",
                Severity.INFO,
                "no benefits given: the patient responsibility estimate is 0.00",
            )
        )
        return Benefits()

    # -- one line ---------------------------------------------------------------------------
    def _find(self, work: LineWork, rule: str, severity: Severity, message: str, **extra: Any) -> None:
        self.findings.append(
            Finding(rule, severity, message, lines=(work.number,), codes=(work.line.procedure,), **extra)
        )

    def _price_line(self, work: LineWork) -> None:
        line = work.line
        pos = line.place_of_service or self.claim.place_of_service
        setting = setting_for(pos)
        work.note(
            "setting",
            setting.value,
            "" if pos else "no place of service on the line or claim: non-facility assumed",
            f"place of service {pos}" if pos else "",
        )
        schedule = (
            self.contract.schedule_for(line.procedure, line.modifiers, line.service_date)
            if self.contract
            else None
        )
        work.schedule = schedule
        work.medicare_rules = schedule is None or schedule.method is Method.PERCENT_OF_MEDICARE
        if schedule is not None and schedule.method is Method.PERCENT_OF_CHARGES:
            self._percent_of_charges(work, schedule)
            return
        if schedule is not None and schedule.method is Method.FEE_TABLE:
            self._fee_table(work, schedule)
            return
        if self.mpfs.rvu_release(line.service_date) is None:
            self._find(
                work,
                "pricing.no-fee-schedule",
                Severity.DENY,
                f"no MPFS relative value file for {line.service_date.year} or earlier is installed; "
                f"{line.procedure} cannot be priced",
                source=Source(RVU_SOURCE),
            )
            return
        locality = self._locality(line.service_date)
        if locality is None:
            work.note("allowed", "not estimated", "no payment locality for the claim's ZIP")
            return
        work.trace.extend(locality.trace)
        self._settings[work.number] = (setting, locality.gpci)
        found = self._row(work)
        if found is None:
            return
        row, source = found
        if not self._payable_status(work, row, source, locality):
            return
        self._setting_na(work, row, setting)
        fee = unit_fee(row, source, locality.gpci, setting)
        work.trace.extend(fee.trace)
        work.row, work.fee = row, fee.amount
        self._units(work, row, self._components(row, fee, line.service_date, locality.gpci, setting))
        if schedule is not None and self.contract is not None:
            work.basis = f"contract {self.contract.id}: {schedule.label}"

    def _locality(self, on: dt.date) -> Locality | None:
        if on not in self._localities:
            locality, findings = resolve_locality(self.claim, self.mpfs, on)
            self._localities[on] = locality
            self.findings += [f for f in findings if f not in self.findings]
        return self._localities[on]

    def _row(self, work: LineWork) -> tuple[RvuRecord, SourceRelease] | None:
        """The RVU row for the line's code and pricing modifier, or None with a finding."""
        line = work.line
        on = line.service_date
        release = self.mpfs.rvu_release(on)
        if release is None:
            return None
        pricing = [m for m in line.modifiers if m in PRICING_MODIFIERS]
        if len(pricing) > 1:
            self._find(
                work,
                "pricing.modifier-conflict",
                Severity.DENY,
                f"modifiers {' and '.join(pricing)} cannot both price one line",
            )
            return None
        modifier = pricing[0] if pricing else ""
        found = self.mpfs.rvu(line.procedure, modifier, on)
        if found is not None:
            return found
        global_row = self.mpfs.rvu(line.procedure, "", on)
        source = Source(RVU_SOURCE, release.name, release.effective.isoformat())
        if global_row is None:
            if OTHER_SCHEDULE_CODE.fullmatch(line.procedure):
                self._find(
                    work,
                    "pricing.other-fee-schedule",
                    Severity.WARN,
                    f"{line.procedure} is not in the MPFS relative value file {release.name}: HCPCS Level II "
                    "and lab (PLA) codes outside it are paid under other Medicare fee schedules (DMEPOS, "
                    "ASP drug pricing, clinical lab); no amount is estimated",
                    source=source,
                )
            else:
                self._find(
                    work,
                    "pricing.not-in-fee-schedule",
                    Severity.DENY,
                    f"{line.procedure} is not in the MPFS relative value file {release.name}: not a code the "
                    "physician fee schedule knows",
                    source=source,
                )
            work.note("allowed", "not estimated", f"{line.procedure} is not in {release.name}")
            return None
        row = global_row[0]
        if modifier == "26" and row.pctc in ("6", "8"):
            work.note(
                "modifier 26",
                "priced from the code's row",
                f"PC/TC indicator {row.pctc}: interpretation code",
            )
            return global_row
        if modifier == "53":
            self._find(
                work,
                "pricing.carrier-priced",
                Severity.WARN,
                f"modifier 53 on {line.procedure}: no discontinued-procedure RVUs; the MAC prices it individually",
                source=source,
            )
            work.note("modifier 53", "individual consideration", "no 53 row in the RVU file")
            return None
        self._find(
            work,
            "pricing.modifier-invalid",
            Severity.DENY,
            f"modifier {modifier} cannot be used with {line.procedure} (PC/TC indicator {row.pctc})",
            source=source,
        )
        work.priced = True
        work.note("allowed", "0.00", f"no {line.procedure}-{modifier} row in {release.name}")
        return None

    def _payable_status(
        self, work: LineWork, row: RvuRecord, source: SourceRelease, locality: Locality
    ) -> bool:
        rule = status_rule(row.status)
        where = rvu_source(source, row)
        work.note("status code", row.status, rule.meaning, where)
        src = Source(RVU_SOURCE, source.name, source.effective.isoformat())
        if rule.treatment in (Treatment.PAY, Treatment.INJECTION):
            return True
        if rule.treatment is Treatment.ANESTHESIA:
            mac, loc = locality.gpci.locality.split("-")
            found = self.mpfs.anesthesia_cf(mac, loc, work.line.service_date)
            if found is not None:
                cf, cf_source = found
                work.note(
                    "anesthesia conversion factor",
                    str(cf.cf),
                    cf_source.note,
                    f"{cf_source.name} ({cf_source.file})",
                )
            message = (
                f"{row.hcpcs}: {rule.meaning}; the base-unit file is not installed, so no amount is estimated"
            )
        else:
            message = f"{row.hcpcs} (status {row.status}): {rule.meaning}"
        self._find(work, rule.rule, rule.severity, message, source=src)
        work.priced = rule.treatment in (Treatment.NOT_PAYABLE, Treatment.MEASUREMENT)
        work.note("allowed", "0.00" if work.priced else "not estimated", f"status {row.status}")
        return False

    def _setting_na(self, work: LineWork, row: RvuRecord, setting: Setting) -> None:
        na = row.pe_facility_na if setting is Setting.FACILITY else row.pe_nonfacility_na
        if not na:
            return
        self._find(
            work,
            "pricing.setting-na",
            Severity.WARN,
            f"{row.hcpcs}{'-' + row.modifier if row.modifier else ''} is marked NA in the {setting.value} setting "
            "(rarely or never performed there); priced with the PE RVU the file shows",
        )

    def _components(self, row: RvuRecord, fee: UnitFee, on: dt.date, gpci: Gpci, setting: Setting) -> Unit:
        """One unit's amount and the components the MULT PROC 4/5/6/7 reductions need."""
        unit = Unit(amount=fee.amount, pe=fee.pe_amount)
        if row.mult_proc not in ("4", "6", "7"):
            return unit
        if row.modifier == "26" or row.pctc == "2":
            unit.pc = fee.amount
        elif row.modifier == "TC" or row.pctc == "3":
            unit.tc = fee.amount
        elif row.pctc == "1":
            for modifier in ("26", "TC"):
                found = self.mpfs.rvu(row.hcpcs, modifier, on)
                if found is not None:
                    part = unit_fee(found[0], found[1], gpci, setting, trace=False).amount
                    if modifier == "26":
                        unit.pc = part
                    else:
                        unit.tc = part
        else:  # a global-only test (PC/TC 4): its non-work part stands for the technical component
            unit.tc = fee.amount - money(row.work * gpci.work * row.conversion_factor)
        return unit

    def _units(self, work: LineWork, row: RvuRecord | None, unit: Unit) -> None:
        line = work.line
        factor = Decimal("1")
        units = line.units
        if row is not None:
            effect = modifier_effect(row, line.modifiers, line.units, work.number)
            work.trace.extend(effect.trace)
            self.findings += effect.findings
            if not effect.priced:
                work.note("allowed", "not estimated", "priced by the MAC")
                return
            factor, units = effect.factor, effect.units
        work.factor = factor
        work.payable = True
        work.priced = True
        whole, fraction = int(units), units - int(units)
        shares = [Decimal("1")] * whole + ([fraction] if fraction else [])
        work.units = [
            Unit(unit.amount * factor * s, unit.pc * factor * s, unit.tc * factor * s, unit.pe * factor * s)
            for s in shares
        ]
        work.note(
            "units", f"{line.units.normalize():f}", "" if units == line.units else f"paid as {units} unit"
        )

    # -- contracts ----------------------------------------------------------------------------
    def _percent_of_charges(self, work: LineWork, schedule: Schedule) -> None:
        assert schedule.percent is not None
        assert self.contract is not None
        amount = work.line.charge * schedule.percent / 100
        work.basis = f"contract {self.contract.id}: {schedule.label}"
        work.units = [Unit(amount)]
        work.priced = True
        work.note(
            "contract: percent of charges",
            f"{schedule.percent.normalize():f}%",
            f"{work.line.charge} × {schedule.percent.normalize():f}%",
            f"contract {self.contract.id}",
        )

    def _fee_table(self, work: LineWork, schedule: Schedule) -> None:
        """A fixed contract fee per unit; the code's RVU row (when there is one) supplies the
        payment-policy indicators unless the schedule turns them off."""
        assert self.contract is not None
        line = work.line
        fee = schedule.fee(line.procedure, line.modifiers)
        assert fee is not None
        work.basis = f"contract {self.contract.id}: {schedule.label}"
        work.note("contract fee", str(fee), "fixed fee per unit", f"contract {self.contract.id}")
        row = None
        if schedule.apply_payment_policies:
            modifier = next((m for m in line.modifiers if m in PRICING_MODIFIERS), "")
            found = self.mpfs.rvu(line.procedure, modifier, line.service_date) or self.mpfs.rvu(
                line.procedure, "", line.service_date
            )
            row = found[0] if found else None
        work.row, work.fee = row, fee
        self._units(work, row, Unit(fee))

    def _base_fee(self, work: LineWork, base: str) -> Decimal | None:
        """The one-unit fee of an endoscopy base code, priced the way `work` is priced."""
        if work.schedule is not None and work.schedule.method is Method.FEE_TABLE:
            return work.schedule.fee(base, ())
        setting, gpci = self._settings[work.number]
        found = self.mpfs.rvu(base, "", work.line.service_date)
        if found is None:
            return None
        return unit_fee(found[0], found[1], gpci, setting, trace=False).amount

    # -- rules after the lines are priced ------------------------------------------------------
    def _injections(self) -> None:
        """Status T services are paid only when nothing else payable is billed that day by that provider."""
        for work in self.works:
            if not work.payable or work.row is None or work.row.status != "T" or not work.medicare_rules:
                continue
            others = [
                w
                for w in self.works
                if w is not work
                and w.payable
                and w.group == work.group
                and w.row is not None
                and w.row.status != "T"
            ]
            if others:
                for unit in work.units:
                    unit.amount = ZERO
                rule = status_rule("T")
                self._find(
                    work,
                    rule.rule,
                    rule.severity,
                    f"{work.line.procedure} (status T) is bundled into line "
                    f"{', '.join(str(w.number) for w in others)} billed the same day by the same provider",
                )
                work.note(
                    "injection bundled", "0%", f"other payable services on lines {[w.number for w in others]}"
                )

    def _finish(self, work: LineWork) -> tuple[Decimal, Decimal]:
        """Contract percentage, lower of charge, and the one rounding to cents: (allowed, reduction)."""
        if not work.priced or not work.units:
            return ZERO, ZERO
        amount = work.amount
        reduction = max(work.unreduced - amount, ZERO)
        schedule = (
            self.contract.schedule_for(work.line.procedure, work.line.modifiers, work.line.service_date)
            if self.contract
            else None
        )
        if schedule is not None and schedule.method is Method.PERCENT_OF_MEDICARE:
            assert schedule.percent is not None
            work.note(
                "contract: percent of Medicare",
                f"{schedule.percent.normalize():f}%",
                f"{amount.normalize():f} × {schedule.percent.normalize():f}%",
            )
            amount = amount * schedule.percent / 100
            reduction = reduction * schedule.percent / 100
        lesser = self.contract.lesser_of_charge if self.contract else True
        if lesser and work.line.charge < amount:
            work.note(
                "lower of charge",
                str(work.line.charge),
                f"the charge {work.line.charge} is lower than the amount {amount.normalize():f}",
            )
            amount = work.line.charge
        allowed = money(max(amount, ZERO))
        work.note("allowed", str(allowed), f"{amount.normalize():f} rounded half-up to cents")
        return allowed, money(reduction)
