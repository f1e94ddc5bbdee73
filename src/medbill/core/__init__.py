"""Value types shared by every stage: money, dates, codes, findings, claims and remittances.

`core` imports nothing else of the project.
"""

from medbill.core.dates import EffectiveRange
from medbill.core.errors import DataError, InputError, MedbillError
from medbill.core.findings import Finding, Severity, Source
from medbill.core.money import ZERO, format_money, money

__all__ = [
    "ZERO",
    "DataError",
    "EffectiveRange",
    "Finding",
    "InputError",
    "MedbillError",
    "Severity",
    "Source",
    "format_money",
    "money",
]
