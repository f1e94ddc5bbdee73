"""The built-in rule pack: structure, dates, code formats, ICD-10-CM, HCPCS/CPT and global surgery edits.

Registered through `register(registry)`, the same hook a payer-specific pack uses.
"""

import importlib

from medbill.rules.registry import Registry

MODULES = (
    "medbill.rules.builtin.structure",
    "medbill.rules.builtin.dates",
    "medbill.rules.builtin.formats",
    "medbill.rules.builtin.icd10cm",
    "medbill.rules.builtin.procedures",
    "medbill.rules.builtin.global_surgery",
)


def register(registry: Registry) -> None:
    for name in MODULES:
        importlib.import_module(name).register(registry)
