"""The examples in the coding modules' docstrings hold (MAP arithmetic, label mapping, BMI bands,
term variants, sentence and section handling, assertion context)."""

import doctest
import importlib
import pkgutil

import pytest

import medbill.coding

MODULES = sorted(
    m.name for m in pkgutil.walk_packages(medbill.coding.__path__, "medbill.coding.") if not m.ispkg
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0, f"{name}: {result.failed} docstring example(s) failed"
