"""The NCCI rule pack: procedure-to-procedure edits, medically unlikely edits, add-on code edits.

Registered through `register(registry)`, the same hook a payer-specific pack uses.
"""

import importlib

from medbill.rules.registry import Registry

MODULES = ("medbill.rules.ncci.ptp", "medbill.rules.ncci.mue", "medbill.rules.ncci.aoc")


def register(registry: Registry) -> None:
    for name in MODULES:
        importlib.import_module(name).register(registry)
