"""Fixtures of the coding engine's tests: a rule-only coder on the session knowledge base, and an
environment where the CLI finds that base and no learned model."""

from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(scope="session")
def coder(kb: Any) -> Any:
    """The rule-following coder (no learned model) on the real knowledge base."""
    from medbill.coding.engine import Coder

    return Coder(kb, None, None)


@pytest.fixture(scope="session")
def full_kb(kb: Any) -> Any:
    """The knowledge base with the Neoplasm table and the ICD-10-PCS Index (built from the mirror)."""
    missing = [s for s in ("icd10cm/neoplasm", "icd10pcs/index") if not kb.has(s)]
    if missing:
        pytest.skip(f"knowledge base without {', '.join(missing)} (no data mirror): {kb.path}")
    return kb


_CLI_CODERS: dict[Any, Any] = {}
_CLI_KBS: dict[Any, Any] = {}


@pytest.fixture
def cli_env(kb: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """MEDBILL_KB at the session base, an empty MEDBILL_HOME (no learned model), fresh coder cache."""
    from medbill.coding import engine

    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("MEDBILL_KB", str(kb.path))
    monkeypatch.setenv("MEDBILL_HOME", str(home))
    # coders built here (no model) are shared by these tests only, never with other areas' tests
    monkeypatch.setattr(engine, "_coders", _CLI_CODERS)
    monkeypatch.setattr(engine, "_kbs", _CLI_KBS)
    return home
