"""Property tests: code spelling round trips, code-range containment, query normalization, and
release selection by date."""

import string
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from medbill.codesets.icd10cm.refs import CodeRange, dotted, parse_refs, undotted
from medbill.codesets.icd10cm.tabular_xml import seventh_code
from medbill.codesets.manifest import parse_manifest
from medbill.codesets.text import index_tokens, query_tokens

ALNUM = string.ascii_uppercase + string.digits
icd_codes = st.builds(
    lambda a, b, c, rest: a + b + c + rest,
    st.sampled_from(string.ascii_uppercase),
    st.sampled_from(string.digits),
    st.sampled_from(ALNUM),
    st.text(ALNUM, max_size=4),
)


@given(icd_codes)
def test_dotted_and_undotted_round_trip(code):
    assert undotted(dotted(code)) == code
    assert dotted(undotted(dotted(code))) == dotted(code)


@given(icd_codes, st.sampled_from(string.ascii_uppercase))
def test_seventh_character_codes_have_seven_characters(code, char):
    made = undotted(seventh_code(code[:6], char))
    assert len(made) == 7
    assert made.endswith(char)
    assert made.startswith(code[:6])


@given(icd_codes)
def test_a_category_range_contains_its_codes(code):
    category = CodeRange(code[:3], code[:3])
    assert category.contains(code)
    assert parse_refs(f"see ({dotted(code[:3])}.-)") == [category]


@given(icd_codes, icd_codes)
def test_range_containment_matches_sql_bounds(code, other):
    first, last = sorted((code[:3], other[:3]))
    rng = CodeRange(first, last)
    low, high = rng.sql_bounds
    for probe in (code, other):
        assert rng.contains(probe) == (low <= probe <= high)


words = st.lists(
    st.sampled_from(["chronic", "kidney", "disease", "stage", "Fractures", "of", "LEFT", "femur", "(acute)"]),
    min_size=1,
    max_size=6,
)


@given(words, st.randoms())
def test_query_tokens_ignore_order_case_and_punctuation(items, rnd):
    shuffled = list(items)
    rnd.shuffle(shuffled)
    noisy = ", ".join(w.swapcase() for w in shuffled) + "."
    assert set(query_tokens(" ".join(items))) == set(query_tokens(noisy))
    assert set(index_tokens(" ".join(items))) == set(query_tokens(" ".join(items)))


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31)))
def test_effective_range_of_a_manifest_release(day):
    manifest = parse_manifest(
        """[[release]]
id = "x"
system = "icd10cm"
component = "tabular"
name = "X"
publisher = "P"
effective_from = 2025-10-01
effective_to = 2026-09-30
files = [{ name = "f", sha256 = "" }]
"""
    )
    release = manifest.get("x")
    assert release.in_force(day) == (date(2025, 10, 1) <= day <= date(2025, 10, 1) + timedelta(days=364))
