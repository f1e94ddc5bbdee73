"""The guide-driven structure layer: loops from guide data, slot ordering, repeats, streaming."""

import datetime as dt
import io

import pytest

from medbill.x12.control import ControlNumberStore
from medbill.x12.envelope import EnvelopeReader
from medbill.x12.guide import GUIDE_FILES, compile_guide, load_guide
from medbill.x12.read835 import iter_835
from medbill.x12.read837 import iter_837
from medbill.x12.report import FindingSink
from medbill.x12.structure import StructureParser
from medbill.x12.write837 import write_837

from .conftest import load_claim
from .test_write837 import _config

TOY = compile_guide(
    {
        "key": "TOY",
        "transaction": "999",
        "version": "TOY1",
        "name": "Toy",
        "body": [
            {"seg": "ST", "usage": "R"},
            {"seg": "BGN", "usage": "R"},
            {
                "loop": "A",
                "usage": "R",
                "repeat": 2,
                "body": [
                    {"seg": "NM1", "q": {1: ["X"]}, "usage": "R"},
                    {"seg": "REF", "q": {1: ["1"]}},
                    {"seg": "REF", "q": {1: ["2"]}},
                    {"seg": "DTP", "max": 2},
                    {
                        "loop": "B",
                        "repeat": ">1",
                        "body": [{"seg": "LX", "usage": "R"}, {"seg": "AMT", "usage": "R"}],
                    },
                ],
            },
            {"seg": "SE", "usage": "R"},
        ],
    }
)


def parse(text: str):
    sink = FindingSink()
    reader = EnvelopeReader(
        "ISA*00*          *00*          *ZZ*A              *ZZ*B              *260401*0930*^*00501*000000001*0*T*:~"
        + text
    )
    (transaction,) = list(_sets(reader))
    closed = list(StructureParser(TOY, sink, emit=frozenset({"A", "B"})).parse(transaction))
    return closed, [f for f in sink.result() if f.rule.startswith("x12.structure")]


def _sets(reader):
    for transaction in reader.transaction_sets():
        yield list(transaction.segments())


def test_loops_are_assembled_from_guide_data():
    closed, findings = parse("ST*999*1~BGN*1~NM1*X~REF*1*a~LX*1~AMT*1~LX*2~AMT*2~NM1*X~SE*10*1~")
    assert findings == []
    ids = [loop.id for loop, _ in closed]
    assert ids == ["B", "B", "A", "A", "ST"]
    root = closed[-1][0]
    first, second = root.children("A")
    assert [b.trigger.el(1) for b in first.children("B")] == ["1", "2"]
    assert second.loops == []


def test_uses_of_one_standard_position_may_come_in_any_order():
    _, findings = parse("ST*999*1~BGN*1~NM1*X~REF*2*b~REF*1*a~SE*5*1~")
    assert findings == []


def test_order_repeat_missing_and_unknown_are_findings():
    _, findings = parse("ST*999*1~BGN*1~NM1*X~DTP*1~DTP*2~DTP*3~REF*1*a~LX*1~SE*9*1~")
    rules = sorted(f.rule for f in findings)
    assert rules == ["x12.structure.missing", "x12.structure.order", "x12.structure.repeat"]
    _, findings = parse("ST*999*1~BGN*1~NM1*X~NM1*X~NM1*X~SE*6*1~")
    assert [f.rule for f in findings] == ["x12.structure.repeat"]
    assert "loop A" in findings[0].message
    _, findings = parse("ST*999*1~NM1*X~QQQ*1~SE*4*1~")
    assert sorted(f.rule for f in findings) == ["x12.structure.missing", "x12.structure.unexpected"]


@pytest.mark.parametrize("key", sorted(GUIDE_FILES))
def test_every_guide_loads_and_starts_each_loop_with_a_segment(key):
    guide = load_guide(key)
    assert guide.root.children[0].id == "ST"
    assert guide.root.children[-1].id == "SE"

    def walk(rule):
        for child in rule.children:
            if hasattr(child, "children"):
                assert child.trigger.id, child.id
                walk(child)

    walk(guide.root)


class Trickle(io.BytesIO):
    """A stream that hands out at most 16 KiB per read, like a slow pipe."""

    def read(self, size: int | None = -1) -> bytes:
        return super().read(min(size if size and size > 0 else 1 << 14, 1 << 14))


def test_837_claims_stream_before_the_file_is_read(tmp_path):
    claim = load_claim("professional_office_visit")
    claims = [claim.replace(claim_id=f"PCN{i:05d}") for i in range(3000)]
    text = write_837(
        claims, _config(), store=ControlNumberStore(tmp_path / "n.json"), now=dt.datetime(2026, 4, 1)
    )
    data = text.encode()
    stream = Trickle(data)
    first = next(iter_837(stream, FindingSink()))
    assert first.claim_id == "PCN00000"
    assert stream.tell() < len(data) // 4, "the first claim comes out after a small part of the file"


def test_835_remittances_stream_one_transaction_set_at_a_time():
    from .test_bad_input import GOOD_835

    body = GOOD_835.split("ST*835*0001~")[1].split("SE*16*0001~")[0]
    sets = "".join(f"ST*835*{n:04d}~{body}SE*16*{n:04d}~" for n in range(1, 401))
    text = GOOD_835.split("ST*835")[0] + sets + "GE*400*7~IEA*1*000000007~"
    stream = Trickle(text.encode())
    sink = FindingSink()
    remittances = iter_835(stream, sink)
    next(remittances)
    assert stream.tell() < len(text)
    assert len(list(remittances)) == 399
    assert sink.result() == []
