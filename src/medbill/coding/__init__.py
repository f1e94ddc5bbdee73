"""medbill.coding: clinical note → ICD-10-CM / ICD-10-PCS / HCPCS codes with evidence.

`code_note(text, setting="outpatient", on=None)` codes a note with the installed knowledge base (and
the learned model when `medbill coding train` has made one) and returns a `CodingResult`;
`result.to_dict()` is `{"codes": [...], "mentions": [...], ...}` as `medbill code --json` prints.
The engine itself lives in `medbill.coding.engine` and is imported on first use, so importing a
sibling module (`medbill.coding.em`) stays light.
"""

from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from medbill.coding.result import CodingResult

__all__ = ["code_note"]


def code_note(text: str, setting: str = "outpatient", on: date | None = None) -> "CodingResult":
    """Code a clinical note as of `on` (default: the newest installed releases) for an
    `outpatient` or `inpatient` setting; see `medbill.coding.engine.code_note`."""
    from medbill.coding.engine import code_note as engine

    return engine(text, setting=setting, on=on)
