"""The base for wire-facing value models: frozen pydantic models with exact money and strict fields.

Claims and remittances cross the edges of the system (JSON/YAML files, X12, the API), so they are
frozen pydantic models: immutable like the dataclasses elsewhere in `core`, and able to validate
input with a JSON path for every problem and to export JSON Schema.
"""

from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, PlainSerializer

from medbill.core.money import format_money, money


def _to_money(value: Any) -> Any:
    if isinstance(value, float):
        # JSON numbers arrive as floats from some parsers; their repr is the shortest exact text.
        value = repr(value)
    if isinstance(value, (int, str, Decimal)) and not isinstance(value, bool):
        return money(value)
    return value


Money = Annotated[
    Decimal,
    BeforeValidator(_to_money),
    PlainSerializer(format_money, return_type=str, when_used="json"),
]
"""An amount of money: Decimal quantized to cents, serialized as a string with two decimals."""


def _to_decimal(value: Any) -> Any:
    if isinstance(value, float):
        return Decimal(repr(value))
    return value


def _decimal_text(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


Quantity = Annotated[
    Decimal,
    BeforeValidator(_to_decimal),
    PlainSerializer(_decimal_text, return_type=str, when_used="json"),
]
"""A non-money decimal quantity (service units, NDC quantity)."""


class Frozen(BaseModel):
    """Immutable model; unknown fields are errors so that typos are caught, not ignored."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    def replace(self, **changes: Any) -> Any:
        """Return a copy with `changes` applied and validated again."""
        data = self.model_dump()
        data.update(changes)
        return type(self).model_validate(data)
