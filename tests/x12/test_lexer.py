"""The lexer: delimiters from ISA, tolerated layouts, and round trips of delimiters and segment content."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medbill.core.errors import InputError
from medbill.x12.delimiters import Delimiters
from medbill.x12.lexer import Lexer

ISA = "ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *260401*0930*^*00501*000000001*0*T*:~"


def test_delimiters_are_read_from_isa_not_assumed():
    text = ISA.translate(str.maketrans({"*": "|", ":": "}", "~": "\n", "^": "!"}))
    text += "GS|HC|S|R|20260401|0930|1|X|005010X222A1\nCLM|A1|100|||11}B}1\n"
    segments = list(lexer := Lexer(text))
    assert lexer.delimiters == Delimiters(element="|", component="}", repetition="!", segment="\n")
    assert segments[2].comp(5, 3) == "1"


def test_bom_indentation_and_crlf_between_segments_are_tolerated():
    body = "\ufeff  " + ISA + "\r\n    GS*HC*S*R*20260401*0930*1*X*005010X222A1~\r\n\tST*837*0001~"
    ids = [seg.id for seg in Lexer(body.encode("utf-8"))]
    assert ids == ["ISA", "GS", "ST"]


def test_segment_terminator_can_be_a_line_break():
    text = ISA[:-1] + "\r\nGS*HC*S*R*20260401*0930*1*X*005010X222A1\r\n"
    lexer = Lexer(text)
    assert [seg.id for seg in lexer] == ["ISA", "GS"]
    assert lexer.delimiters is not None
    assert lexer.delimiters.segment == "\r"


def test_unpadded_isa_is_read_by_counting_elements():
    text = "ISA*00**00**ZZ*S*ZZ*R*260401*0930*^*00501*1*0*T*:~GS*HC~"
    assert [seg.id for seg in Lexer(text)] == ["ISA", "GS"]


def test_repetition_separator_of_4010_isa11_is_not_a_separator():
    text = ISA.replace("*^*00501*", "*U*00401*")
    lexer = Lexer(text)
    list(lexer)
    assert lexer.delimiters is not None
    assert lexer.delimiters.repetition is None


@pytest.mark.parametrize("text", ["", "   \n", "GS*HC*X~", "not x12 at all"])
def test_data_that_is_not_an_interchange_is_an_input_error(text):
    with pytest.raises(InputError, match="not an X12 interchange"):
        list(Lexer(text))


def test_chunk_boundaries_do_not_change_the_segments():
    text = ISA + "".join(f"REF*EA*{i:06d}~\n" for i in range(500))
    whole = [seg.elements for seg in Lexer(text)]
    import io

    chunked = [seg.elements for seg in Lexer(io.BytesIO(text.encode()), chunk_size=7)]
    assert chunked == whole


_specials = "!\"#%&'()*+,-./:;<=>?@[]^_`{|}~\\"
delimiter_sets = st.lists(st.sampled_from(_specials), min_size=4, max_size=4, unique=True)
words = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=1, max_size=6)
element_text = st.one_of(st.just(""), st.lists(words, min_size=1, max_size=3).map(" ".join))
segment_ids = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=2, max_size=3).filter(
    lambda s: s[0].isalpha() and s != "ISA"
)
segments = st.lists(
    st.tuples(segment_ids, st.lists(st.lists(element_text, min_size=1, max_size=3), max_size=8)),
    min_size=1,
    max_size=20,
)


@settings(max_examples=150, deadline=None)
@given(delimiter_sets, segments, st.booleans())
def test_any_delimiters_and_segment_content_round_trip(chars, content, line_breaks):
    """Whatever the four delimiters, segments written with them read back element by element,
    and composite elements split back into their components."""
    element, component, repetition, terminator = chars
    isa = ISA.translate(str.maketrans({"*": element, ":": component, "^": repetition, "~": terminator}))
    end = terminator + ("\n" if line_breaks else "")
    text = isa + ("\n" if line_breaks else "")
    for seg_id, elements in content:
        text += element.join([seg_id, *(component.join(parts) for parts in elements)]) + end
    lexer = Lexer(text)
    read = list(lexer)[1:]
    assert lexer.delimiters == Delimiters(element, component, repetition, terminator)
    assert [seg.id for seg in read] == [seg_id for seg_id, _ in content]
    for seg, (_, elements) in zip(read, content, strict=True):
        for index, parts in enumerate(elements, start=1):
            joined = component.join(parts)
            assert seg.el(index) == joined
            assert seg.components(index) == (parts if joined else [])
