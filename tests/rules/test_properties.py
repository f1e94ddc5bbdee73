"""Properties of the scrubber over generated claims: it never fails, and its findings make sense."""

import datetime as dt
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from medbill.core.claimfile import claim_from_data
from medbill.core.errors import InputError
from medbill.core.findings import Severity
from medbill.rules import RULE_ERROR, Scrubber

from .claims import load_base

CODES = st.sampled_from(
    ["99213", "99214", "20610", "20611", "76942", "11102", "11103", "93000", "93005", "97110", "97530",
     "11042", "97597", "12001", "A0425", "J1100", "E0431", "G0202", "G0999", "0054T", "99291", "99292",
     "9921", "ZZZZZ", "", "36415", "96372", "17110", "27447"]
)  # fmt: skip
MODIFIERS = st.lists(
    st.sampled_from(["25", "59", "XS", "LT", "RT", "76", "GA", "QQ", "93", "X", "ZZ9"]), max_size=5
)
DIAGNOSES = st.lists(
    st.sampled_from(
        [
            "E11.9",
            "E10.9",
            "I10",
            "G63",
            "W19.XXXA",
            "S72.001A",
            "Z38.00",
            "O80",
            "C61",
            "E11",
            "250.00",
            "Z00.00",
        ]
    ),
    max_size=14,
)
DATES = st.dates(dt.date(2015, 10, 1), dt.date(2026, 12, 31))

line = st.fixed_dictionaries(
    {
        "procedure": CODES,
        "modifiers": MODIFIERS,
        "units": st.decimals(min_value=Decimal(-2), max_value=Decimal(400), places=1),
        "charge": st.decimals(min_value=Decimal(-5), max_value=Decimal(5000), places=2),
        "service_date": DATES,
        "diagnosis_pointers": st.lists(st.integers(min_value=0, max_value=14), max_size=5),
    },
    optional={
        "service_date_end": DATES,
        "place_of_service": st.sampled_from(["11", "22", "99", "3"]),
        "revenue_code": st.sampled_from(["0450", "120", "0730"]),
        "rendering_provider": st.just({"npi": "1778899009", "last_name": "Okafor"}),
    },
)


@st.composite
def claims(draw: st.DrawFn) -> dict[str, Any]:
    data = load_base(draw(st.sampled_from(["office_visit", "outpatient_hospital", "inpatient", "dme"])))
    data["lines"] = draw(st.lists(line, max_size=8))
    data["diagnoses"] = draw(DIAGNOSES)
    data["subscriber"]["birth_date"] = draw(
        st.one_of(st.none(), DATES, st.dates(dt.date(1900, 1, 1), dt.date(2026, 1, 1)))
    )
    data["subscriber"]["sex"] = draw(st.sampled_from(["F", "M", "U"]))
    data["frequency"] = draw(st.sampled_from(["1", "7", "8"]))
    return data


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(claims())
def test_the_scrubber_never_fails_on_a_claim_it_can_read(scrubber: Scrubber, data: dict[str, Any]) -> None:
    try:
        claim = claim_from_data(data)
    except (InputError, ValidationError):
        return
    findings = scrubber.check(claim, today=dt.date(2026, 6, 30))
    assert not [f for f in findings if f.rule == RULE_ERROR], [
        f.message for f in findings if f.rule == RULE_ERROR
    ]
    count = len(claim.lines)
    for finding in findings:
        assert finding.message
        assert finding.source is not None
        assert all(1 <= n <= count for n in finding.lines), (finding.rule, finding.lines)
    # a check is a pure function of the claim and the reference data
    assert scrubber.check(claim, today=dt.date(2026, 6, 30)) == findings


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(claims())
def test_a_claim_without_blocking_findings_has_clean_structure(
    scrubber: Scrubber, data: dict[str, Any]
) -> None:
    try:
        claim = claim_from_data(data)
    except (InputError, ValidationError):
        return
    findings = scrubber.check(claim, today=dt.date(2026, 6, 30))
    if not any(f.severity in (Severity.REJECT, Severity.DENY) for f in findings):
        assert all(ln.units > 0 and ln.charge > 0 for ln in claim.lines)
        assert len(claim.diagnoses) == len(set(claim.diagnoses))
        assert claim.lines
