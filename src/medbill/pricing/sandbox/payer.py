"""`medbill sandbox adjudicate 837FILE -o 835FILE`: read an 837, adjudicate, write the 835.

The claims are read with the X12 837 reader, checked with the claim scrubber (`check_claim`, as
of the payment date), priced with the fee schedule and answered with one 835 interchange written
by the X12 835 writer (which validates and balances it) — to a temporary file renamed into place.
The ISA/GS dates are the payment date, so the same 837 gives the same 835 except for the control
numbers, which the writer takes from the control-number store.
"""

import datetime as dt
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from medbill.codesets.mpfs_section import Mpfs
from medbill.core.claim import Claim
from medbill.core.errors import InputError
from medbill.core.findings import Finding
from medbill.core.money import ZERO
from medbill.core.remittance import Remittance
from medbill.pricing.engine import mpfs_of
from medbill.pricing.sandbox.adjudicate import ClaimDecision, SandboxConfig, adjudicate_claims


@dataclass(frozen=True, slots=True)
class SandboxResult:
    """What the sandbox payer did with one 837 file."""

    output: Path
    remittances: tuple[Remittance, ...]
    decisions: tuple[ClaimDecision, ...]
    read_findings: tuple[Finding, ...] = field(default=())

    def summary(self) -> dict[str, Any]:
        """JSON summary: totals and one entry per claim with its status and denied lines."""
        return {
            "output": str(self.output),
            "claims": len(self.decisions),
            "charge": str(sum((d.charge for d in self.decisions), ZERO)),
            "allowed": str(sum((d.allowed for d in self.decisions), ZERO)),
            "paid": str(sum((d.paid for d in self.decisions), ZERO)),
            "patient_responsibility": str(sum((d.patient_responsibility for d in self.decisions), ZERO)),
            "decisions": [
                {
                    "claim_id": d.claim_id,
                    "status": d.status,
                    "charge": str(d.charge),
                    "allowed": str(d.allowed),
                    "paid": str(d.paid),
                    "patient_responsibility": str(d.patient_responsibility),
                    "denied_lines": [
                        {
                            "line": line.line,
                            "procedure": line.procedure,
                            "group": line.denial.group.value,
                            "carc": line.denial.carc,
                            "rarc": list(line.denial.rarcs),
                            "rules": list(line.rules),
                        }
                        for line in d.lines
                        if line.denial is not None
                    ],
                }
                for d in self.decisions
            ],
        }

    def summary_lines(self) -> list[str]:
        """Human summary, one line per claim."""
        rows = []
        for d in self.decisions:
            denied = [f"{ln.line}:{ln.denial.group.value}-{ln.denial.carc}" for ln in d.lines if ln.denial]
            rows.append(
                f"{d.claim_id}: status {d.status}, charge {d.charge}, allowed {d.allowed}, paid {d.paid}, "
                f"patient {d.patient_responsibility}" + (f", denied {' '.join(denied)}" if denied else "")
            )
        return rows


def adjudicate_file(
    source: Path,
    output: Path,
    *,
    config: SandboxConfig | None = None,
    kb: Any = None,
    mpfs: Mpfs | None = None,
) -> SandboxResult:
    """Adjudicate every claim of an 837 file and write the 835 to `output`."""
    from medbill.rules import check_claim
    from medbill.rules.defaults import default_scrubber
    from medbill.x12 import read_837

    config = config or SandboxConfig()
    claims, read_findings = read_837(Path(source))
    problems = [f"{f.path or f.rule}: {f.message}" for f in read_findings if f.severity.blocking]
    if not claims:
        raise InputError(f"{source}: no claims could be read from this 837", tuple(problems))
    paid_on = config.paid_on or _payment_date(claims, config)
    settled = SandboxConfig(**{**_fields(config), "paid_on": paid_on})

    scrubber = default_scrubber(kb) if kb is not None else None  # None: check_claim's cached default

    def scrub(claim: Claim) -> list[Finding]:
        return check_claim(claim, today=paid_on, scrubber=scrubber)

    remittances, decisions = adjudicate_claims(claims, mpfs=mpfs or mpfs_of(kb), scrub=scrub, config=settled)
    text = write_remittances(remittances, settled)
    _write_atomically(Path(output), text)
    return SandboxResult(Path(output), tuple(remittances), tuple(decisions), tuple(read_findings))


def write_remittances(remittances: Sequence[Remittance], config: SandboxConfig) -> str:
    """The 835 interchange of the sandbox payer (ISA/GS dated on the payment date)."""
    from medbill.x12.config import X12Config
    from medbill.x12.write835 import write_835

    x12 = X12Config.model_validate(
        {
            "sender_id": config.payer_id,
            "receiver_id": config.receiver_id,
            "usage": "T",
            "payer_contact": {"name": config.payer_name, "phone": config.payer_phone},
        }
    )
    paid_on = config.paid_on or dt.date.today()
    return str(write_835(remittances, x12, now=dt.datetime.combine(paid_on, dt.time(12, 0))))


def _payment_date(claims: Sequence[Claim], config: SandboxConfig) -> dt.date:
    last = max((c.last_service_date for c in claims if c.last_service_date), default=None)
    if last is None:
        raise InputError("the 837 has no dates of service")
    return last + dt.timedelta(days=config.days_to_pay)


def _fields(config: SandboxConfig) -> dict[str, Any]:
    return {name: getattr(config, name) for name in config.__dataclass_fields__}


def _write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
