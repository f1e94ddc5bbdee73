"""Money as `Decimal`, built through one helper and quantized to cents in one place.

A float never touches money: floats are refused, strings and integers are exact.

>>> money("12.345")
Decimal('12.35')
>>> format_money(money(7))
'7.00'
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def money(value: Decimal | int | str) -> Decimal:
    """Return `value` as a Decimal rounded half-up to cents.

    Raises `ValueError` for floats (inexact) and for text that is not a number.
    """
    if isinstance(value, float):
        raise ValueError(f"money must not be built from a float ({value!r}); pass a string or Decimal")
    if isinstance(value, bool):
        raise ValueError("money must not be a boolean")
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except InvalidOperation as exc:
        raise ValueError(f"not an amount of money: {value!r}") from exc
    if not amount.is_finite():
        raise ValueError(f"not an amount of money: {value!r}")
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def format_money(amount: Decimal) -> str:
    """Render an amount with exactly two decimals, as the JSON outputs and X12 amounts use."""
    return str(money(amount))


def x12_amount(amount: Decimal) -> str:
    """Render an amount for X12: no trailing zeros after the point, no leading zeros.

    >>> x12_amount(Decimal("100.00")), x12_amount(Decimal("12.50")), x12_amount(Decimal("-0.05"))
    ('100', '12.5', '-0.05')
    """
    text = format(money(amount), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
