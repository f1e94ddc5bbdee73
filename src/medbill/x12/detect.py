"""Which transaction a transaction set is, from ST01 and the implementation convention (ST03/GS08).

>>> transaction_kind("837", "005010X222A1"), transaction_kind("837", "005010X223A3")
('837P', '837I')
>>> transaction_kind("277", "005010X214"), transaction_kind("277", "005010X212"), transaction_kind("270", "")
('277CA', '277', '270')
"""

from medbill.x12.guide import GUIDE_FILES

_BY_GUIDE = {
    "837": (("X222", "837P"), ("X223", "837I"), ("X224", "837D")),
    "277": (("X214", "277CA"),),
}


def transaction_kind(transaction_id: str, implementation: str) -> str:
    """``837P``, ``837I``, ``835``, ``999``, ``277CA``, or ST01 itself for other transactions."""
    for marker, kind in _BY_GUIDE.get(transaction_id, ()):
        if marker in implementation:
            return kind
    return transaction_id


def has_guide(kind: str) -> bool:
    """True when medbill has a guide (and a mapper) for this kind of transaction."""
    return kind in GUIDE_FILES
