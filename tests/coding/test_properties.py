"""Properties of the coder on generated notes: whatever the text, evidence and mention offsets slice
the input to their text, and coding never fails."""

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

PHRASES = [
    "denies chest pain",
    "history of MI",
    "mother had breast cancer",
    "probable pneumonia",
    "left knee pain",
    "HTN",
    "type 2 diabetes mellitus with diabetic chronic kidney disease stage 3a",
    "closed fracture of the right patella, initial encounter",
    "no fever",
    "Assessment:",
    "acute appendicitis",
    "appendectomy",
]
pieces = st.one_of(
    st.sampled_from(PHRASES),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12),
)
separators = st.sampled_from([" ", ". ", "\n", ";  ", ",\t", "\r\n", "... ", " (", ") "])
notes = st.lists(st.tuples(pieces, separators), max_size=10).map(lambda xs: "".join(a + b for a, b in xs))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(note=notes, setting=st.sampled_from(["outpatient", "inpatient"]))
def test_offsets_always_slice_the_input(coder: Any, note: str, setting: str) -> None:
    result = coder.code(note, setting)
    for item in [*result.codes, *result.others]:
        assert 0 <= item.score <= 1
        for e in item.evidence:
            assert 0 <= e.start < e.end <= len(note)
            assert note[e.start : e.end] == e.text
    for m in result.mentions:
        assert note[m.start : m.end] == m.text
    coded = [c.code for c in result.codes]
    assert len(coded) == len(set(coded))
