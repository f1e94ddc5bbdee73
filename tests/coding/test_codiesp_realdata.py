"""The acceptance numbers on the real CodiEsp corpus: train the learned model on the train split,
score on the dev split (never tuned on). Skips when the corpus is not in the data mirror.

About three minutes on 2 cores (training ~75 s, coding 2 × 250 notes with and without the model)."""

from pathlib import Path
from typing import Any

import pytest
from tests.conftest import find_mirror


@pytest.fixture(scope="module")
def codiesp() -> Path:
    mirror = find_mirror()
    folder = mirror / "codiesp" if mirror else None
    if folder is None or not (folder / "train" / "text_files_en").is_dir() or not (folder / "dev").is_dir():
        pytest.skip(f"CodiEsp train/dev splits not in the data mirror ({folder or 'no mirror'})")
    return folder


@pytest.fixture(scope="module")
def trained(kb: Any, codiesp: Path, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A coder with a model trained on train, saved and loaded back as `medbill coding train` does."""
    from medbill.coding.engine import Coder
    from medbill.coding.learn.model import load_model
    from medbill.coding.learn.train import train

    model, report = train(codiesp / "train", Coder(kb, None, None))
    assert report.documents == 500
    path = model.save(tmp_path_factory.mktemp("model") / "codiesp-model.pkl")
    return Coder(kb, None, load_model(path))


def scores(coder: Any, split: Path, track: str) -> dict[str, Any]:
    from medbill.coding.codiesp import Track
    from medbill.coding.evaluate import evaluate

    return {s.mode: s for s in evaluate(coder, split, Track(track))}


def test_dev_diagnoses_with_the_learned_model(trained: Any, codiesp: Path) -> None:
    mentioned = scores(trained, codiesp / "dev", "D")["mentioned"]
    assert mentioned.documents == 250
    assert mentioned.map >= 0.50
    assert mentioned.f1 >= 0.50


def test_dev_procedures_with_the_learned_model(trained: Any, codiesp: Path) -> None:
    mentioned = scores(trained, codiesp / "dev", "P")["mentioned"]
    assert mentioned.documents == 222
    assert mentioned.map >= 0.38


def test_dev_rules_only(coder: Any, codiesp: Path) -> None:
    """Without anything learned the engine still finds a fifth of the corpus' codes at the top."""
    d = scores(coder, codiesp / "dev", "D")["mentioned"]
    p = scores(coder, codiesp / "dev", "P")["mentioned"]
    assert d.map >= 0.20
    assert d.precision >= 0.40
    assert p.map >= 0.20
