"""HIPAA X12 5010: 837P/837I claims out, 835/999/277CA responses in.

Layers (each usable on its own): `delimiters` (read from ISA), `lexer` (streaming, knows no
guide), `segment`, `envelope` (ISA/GS/ST control structure and its checks), `guide` + `structure`
(implementation-guide loops from the YAML files in ``guides/``), then the domain mappers below.

>>> from medbill.x12 import read_835, write_837   # doctest: +SKIP
"""

from medbill.x12.config import X12Config, load_config
from medbill.x12.control import ControlNumberStore
from medbill.x12.parse import ParseResult, parse_x12, remittance_json
from medbill.x12.read277 import ClaimAcknowledgmentReport, read_277ca
from medbill.x12.read835 import iter_835, read_835
from medbill.x12.read837 import iter_837, read_837
from medbill.x12.read999 import GroupAcknowledgment, read_999
from medbill.x12.write835 import write_835
from medbill.x12.write837 import prepare_837, write_837

__all__ = [
    "ClaimAcknowledgmentReport",
    "ControlNumberStore",
    "GroupAcknowledgment",
    "ParseResult",
    "X12Config",
    "iter_835",
    "iter_837",
    "load_config",
    "parse_x12",
    "prepare_837",
    "read_277ca",
    "read_835",
    "read_837",
    "read_999",
    "remittance_json",
    "write_835",
    "write_837",
]
