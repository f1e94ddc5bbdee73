"""The examples in the E/M modules' docstrings are run, so they stay true."""

import doctest
import importlib

import pytest

MODULES = [
    "medbill.coding.em",
    "medbill.coding.em.guidelines",
    "medbill.coding.em.leveling",
    "medbill.coding.em.note",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0
    assert result.failed == 0
