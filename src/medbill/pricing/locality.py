"""The payment locality of a claim: ZIP of the service facility (else the billing provider) → MAC and
locality (CMS ZIP5 file) → GPCIs of that locality.

ZIP codes flagged "plus four" in the ZIP5 file are split between localities; only the ZIP+4 file
can place them exactly, so the ZIP5 default locality is used and a warning says so.
"""

import datetime as dt
from dataclasses import dataclass

from medbill.codesets.mpfs_section import Mpfs
from medbill.core.claim import Claim
from medbill.core.findings import Finding, Severity, Source
from medbill.pricing.fee import Gpci
from medbill.pricing.model import TraceStep


@dataclass(frozen=True, slots=True)
class Locality:
    """A resolved locality: its GPCIs and the trace of how it was found."""

    gpci: Gpci
    trace: tuple[TraceStep, ...]


def claim_zip(claim: Claim) -> tuple[str, str]:
    """The ZIP code that decides the locality, and whose it is."""
    if claim.service_facility is not None:
        return claim.service_facility.address.zip5, "service facility"
    return claim.billing_provider.address.zip5, "billing provider"


def resolve_locality(claim: Claim, mpfs: Mpfs, on: dt.date) -> tuple[Locality | None, list[Finding]]:
    """Find the locality and GPCIs for services on `on`; a finding when the ZIP has none."""
    zip5, whose = claim_zip(claim)
    if mpfs.release("zip5", on) is None:
        return None, [
            Finding(
                rule="pricing.no-locality",
                severity=Severity.DENY,
                message=f"no ZIP code to carrier locality file for {on.year} or earlier is installed",
                source=Source("CMS ZIP code to carrier locality file"),
            )
        ]
    found = mpfs.zip5(zip5, on)
    if found is None:
        releases = ", ".join(r.name for r in mpfs.releases("zip5")) or "none installed"
        return None, [
            Finding(
                rule="pricing.no-locality",
                severity=Severity.DENY,
                message=(
                    f"ZIP {zip5} of the {whose} has no Medicare payment locality in the ZIP code to "
                    f"carrier locality file ({releases}); the claim cannot be priced"
                ),
                source=Source("CMS ZIP code to carrier locality file", releases),
                fix="check the ZIP code of the service facility / billing provider address",
                path="service_facility.address.zip"
                if whose == "service facility"
                else "billing_provider.address.zip",
            )
        ]
    record, zsource = found
    findings: list[Finding] = []
    key = f"{record.mac}-{record.locality}"
    gfound = mpfs.gpci(record.mac, record.locality, on)
    if gfound is None:
        return None, [
            Finding(
                rule="pricing.no-gpci",
                severity=Severity.DENY,
                message=f"locality {key} (ZIP {zip5}) has no GPCI row for {on.year} or earlier",
                source=Source("CMS GPCI file"),
            )
        ]
    gpci_row, gsource = gfound
    if record.plus_four:
        findings.append(
            Finding(
                rule="pricing.zip-split-locality",
                severity=Severity.WARN,
                message=(
                    f"ZIP {zip5} is split between localities (plus-four flag in {zsource.name}); the ZIP+4 "
                    f"file is not installed, so the ZIP's default locality {key} was used"
                ),
                source=Source("CMS ZIP code to carrier locality file", zsource.name),
            )
        )
    gpci = Gpci(
        work=gpci_row.work,
        pe=gpci_row.pe,
        mp=gpci_row.mp,
        locality=key,
        source=f"{gsource.name} ({gsource.file})",
        note=gsource.note,
    )
    trace = (
        TraceStep(
            "locality",
            f"{key} {gpci_row.state} {gpci_row.name}".strip(),
            f"{zsource.name} ({zsource.file}) ZIP {zip5} of the {whose}",
            zsource.note,
        ),
    )
    return Locality(gpci, trace), findings
