"""The knowledge-base adapters: what the scrubber reads from the real base, and that they travel."""

import datetime as dt
import pickle
from typing import Any

import pytest

from medbill.core.claim import Sex
from medbill.rules.kbref import KbHcpcs, KbIcd10cm

pytestmark = pytest.mark.realdata
APRIL = dt.date(2026, 4, 14)


def test_icd10cm_codes_carry_what_the_rules_need(kb: Any) -> None:
    icd = KbIcd10cm(kb)
    assert icd.get("E11.9", APRIL).billable
    header = icd.get("E11", APRIL)
    assert header is not None
    assert not header.billable
    assert "E11.6" in header.children
    assert icd.get("G63", APRIL).code_first  # type: ignore[union-attr]
    assert "E10.-" not in icd.get("E11.9", APRIL).excludes1  # type: ignore[union-attr]
    assert "E10-E10" in icd.get("E11.9", APRIL).excludes1  # type: ignore[union-attr]
    assert icd.get("E11.99", APRIL) is None


@pytest.mark.parametrize(
    ("code", "sex"),
    [
        ("C61", Sex.MALE),
        ("N40.0", Sex.MALE),
        ("N95.1", Sex.FEMALE),
        ("O80", Sex.FEMALE),
        ("I10", None),
        ("Z00.00", None),
    ],
)
def test_sex_limited_codes_come_from_the_tabular(kb: Any, code: str, sex: Sex | None) -> None:
    found = KbIcd10cm(kb).get(code, APRIL)
    assert found is not None
    assert found.sex == sex


def test_a_date_without_a_release_uses_the_nearest_and_says_so(kb: Any) -> None:
    icd = KbIcd10cm(kb)
    january = dt.date(2026, 1, 15)
    assert not icd.covers(january)
    assert "used" in icd.source(january).release
    assert icd.covers(APRIL)


def test_hcpcs_status_and_release_quarter(kb: Any) -> None:
    codes, modifiers = KbHcpcs(kb, "code"), KbHcpcs(kb, "modifier")
    terminated = codes.status("G0202", APRIL)
    assert terminated.known
    assert terminated.terminated == dt.date(2017, 12, 31)
    assert not codes.status("G0999", APRIL).known
    assert not codes.status("G0999", APRIL).release_covers(
        APRIL
    )  # the October 2025 file ends with its quarter
    assert modifiers.status("XS", APRIL).in_force(APRIL)


def test_adapters_pickle_by_reopening_the_knowledge_base(kb: Any) -> None:
    icd = pickle.loads(pickle.dumps(KbIcd10cm(kb)))
    assert icd.get("E11.65", APRIL).billable  # type: ignore[union-attr]


def test_a_scrubber_on_the_knowledge_base_pickles_for_dask_workers(kb_scrubber: Any) -> None:
    from medbill.core.claimfile import claim_from_data

    from .claims import load_base

    data = load_base("office_visit")
    data["diagnoses"] = ["E11.9", "E10.9", "C61"]
    data["lines"].append({**data["lines"][0], "procedure": "20610", "units": 3})
    claim = claim_from_data(data)
    copy = pickle.loads(pickle.dumps(kb_scrubber))
    today = dt.date(2026, 6, 30)
    assert copy.check(claim, today=today) == kb_scrubber.check(claim, today=today)
    assert {f.rule for f in copy.check(claim, today=today)} >= {
        "icd10cm.excludes1",
        "icd10cm.sex",
        "ncci.mue",
    }
