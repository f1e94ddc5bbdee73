"""Checks of the identifiers on a claim: NPI check digit, employer and social security numbers.

>>> npi_problem("1234567893") is None, npi_problem("1234567890")
(True, 'check digit is 3, not 0 (Luhn over 80840 + the first nine digits)')
>>> tax_id_problem("12-3456789") is None, tax_id_problem("07-1234567")
(True, 'the EIN prefix 07 is not assigned by the IRS')
"""

import re
from functools import lru_cache

NPI_PREFIX = "80840"  # ISO 7812 card issuer prefix of US health applications, used for the NPI check digit
_NPI = re.compile(r"^[12]\d{9}$")
_EIN = re.compile(r"^(\d{2})-?(\d{7})$")
_SSN = re.compile(r"^(\d{3})-?(\d{2})-?(\d{4})$")
# IRS campus prefixes that have never been assigned to employer identification numbers.
UNASSIGNED_EIN_PREFIXES = frozenset(
    {"00", "07", "08", "09", "17", "18", "19", "28", "29", "49", "69", "70", "78", "79", "89", "96", "97"}
)


def luhn_check_digit(digits: str) -> int:
    """The Luhn check digit for a string of digits.

    >>> luhn_check_digit("80840123456789")
    3
    """
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 0:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return (10 - total % 10) % 10


@lru_cache(maxsize=65536)
def npi_problem(npi: str) -> str | None:
    """What is wrong with an NPI, or None. An NPI is 10 digits, starts with 1 or 2, ends in a check digit."""
    if not npi.isdigit() or len(npi) != 10:
        return "an NPI is exactly 10 digits"
    if not _NPI.match(npi):
        return "an NPI starts with 1 or 2"
    expected = luhn_check_digit(NPI_PREFIX + npi[:9])
    if expected != int(npi[9]):
        return f"check digit is {expected}, not {npi[9]} (Luhn over 80840 + the first nine digits)"
    return None


def make_npi(first_nine: str) -> str:
    """A valid NPI from nine digits (for synthetic test data).

    >>> make_npi("123456789")
    '1234567893'
    """
    return first_nine + str(luhn_check_digit(NPI_PREFIX + first_nine))


@lru_cache(maxsize=65536)
def tax_id_problem(tax_id: str) -> str | None:
    """What is wrong with a tax id (EIN `12-3456789` or SSN `123-45-6789`; bare 9 digits either way)."""
    value = tax_id.strip()
    if re.fullmatch(r"\d{9}", value):
        if ein_problem(value[:2]) is None or ssn_problem(value[:3], value[3:5], value[5:]) is None:
            return None
        return ein_problem(value[:2])
    ein = _EIN.match(value)
    if ein and "-" in value and value.index("-") == 2:
        return ein_problem(ein.group(1))
    ssn = _SSN.match(value)
    if ssn:
        return ssn_problem(*ssn.groups())
    return "a tax id is an EIN (12-3456789) or an SSN (123-45-6789): nine digits"


def ein_problem(prefix: str) -> str | None:
    if prefix in UNASSIGNED_EIN_PREFIXES:
        return f"the EIN prefix {prefix} is not assigned by the IRS"
    return None


def ssn_problem(area: str, group: str, serial: str) -> str | None:
    if area in ("000", "666") or area.startswith("9"):
        return f"an SSN cannot start with {area}"
    if group == "00" or serial == "0000":
        return "an SSN has no all-zero group or serial"
    return None
