"""Pricing case files: YAML cases that build a small claim, price it, and check the amounts.

A case file holds `mirror: real` (the official files in the data mirror) or `mirror: fixture`
(tests/pricing/fixtures/mpfs) and a list of `cases`, each with:

- `claim`: `zip` (billing provider), optional `facility_zip`, `place_of_service`, `type`, `payer_type`,
  `payer_id`, `rendering_npi`, and `lines` (`procedure`, `modifiers`, `units`, `charge`, `date`,
  `pos`, `npi`);
- optional `contract` and `benefits` (inline, in the contract/benefits file formats);
- expectations: `allowed` (per line, strings), `reduction` (per line), `total_allowed`, `patient_responsibility`,
  `priced` (per line), `findings` (rule ids that must appear), `no_findings`, `trace` (items that
  must appear in a line's trace: `{line: n, item: ..., value: ...}`);
- `arithmetic`: the calculation written out by hand (documentation for the reader).
"""

import datetime as dt
from pathlib import Path
from typing import Any

import yaml

from medbill.core.claim import Claim

CASES = Path(__file__).parent / "cases"


def load_cases() -> list[tuple[str, str, dict[str, Any]]]:
    """(id, mirror kind, case) for every case in every case file."""
    found = []
    for path in sorted(CASES.glob("*.yaml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        for index, case in enumerate(document["cases"]):
            found.append((f"{path.stem}[{index}] {case['name']}", document["mirror"], case))
    return found


def build_claim(spec: dict[str, Any]) -> Claim:
    """A synthetic claim from a case's compact `claim` spec."""

    def address(zip5: str) -> dict[str, str]:
        return {"line1": "1 Synthetic Way", "city": "Testville", "state": "ZZ", "zip": str(zip5)}

    lines = []
    for line in spec["lines"]:
        data: dict[str, Any] = {
            "procedure": str(line["procedure"]),
            "modifiers": [str(m) for m in line.get("modifiers", [])],
            "units": str(line.get("units", 1)),
            "charge": str(line.get("charge", "9999.00")),
            "service_date": line.get("date", dt.date(2026, 3, 2)),
        }
        if "pos" in line:
            data["place_of_service"] = str(line["pos"])
        if "npi" in line:
            data["rendering_provider"] = {"npi": str(line["npi"]), "last_name": "Synthetic"}
        lines.append(data)
    claim: dict[str, Any] = {
        "claim_id": spec.get("claim_id", "CASE-1"),
        "payer": {
            "id": spec.get("payer_id", "MEDICARE-B"),
            "name": "Synthetic payer",
            "type": spec.get("payer_type", "medicare"),
        },
        "billing_provider": {
            "npi": "1234567893",
            "tax_id": "123456789",
            "name": "Synthetic Clinic",
            "address": address(spec["zip"]),
        },
        "subscriber": {"member_id": "SYN0001", "last_name": "Testpatient", "birth_date": "1950-01-01"},
        "diagnoses": ["I10"],
        "lines": lines,
    }
    if "type" in spec:
        claim["type"] = spec["type"]
    if "place_of_service" in spec:
        claim["place_of_service"] = str(spec["place_of_service"])
    if "facility_zip" in spec:
        claim["service_facility"] = {"name": "Synthetic Facility", "address": address(spec["facility_zip"])}
    if "rendering_npi" in spec:
        claim["rendering_provider"] = {"npi": str(spec["rendering_npi"]), "last_name": "Synthetic"}
    return Claim.model_validate(claim)
