"""The learned model of the coder: learned lexicon, neighbour index, label space and priors, one
re-ranker per code system, and the decision thresholds — saved as one file under MEDBILL_HOME.

The file is a pickle written by `medbill coding train` on this machine (temp file, then rename);
it is only ever read back by the same installation. A model made by another version of the format
is refused with a message that says to retrain.
"""

import os
import pickle
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from medbill.coding.dictionary import Matcher
from medbill.coding.learn.knn import NeighbourIndex
from medbill.coding.learn.labels import LabelSpace
from medbill.core.errors import DataError
from medbill.settings import get_settings

FORMAT = 3
FILE_NAME = "codiesp-model.pkl"


def default_path() -> Path:
    return get_settings().home / "coding" / FILE_NAME


@dataclass(slots=True)
class CodingModel:
    lexicon: Matcher
    neighbours: NeighbourIndex
    labels: LabelSpace
    priors: dict[str, int]
    rerankers: dict[str, Any]  # system → fitted classifier with predict_proba
    thresholds: dict[str, float]
    meta: dict[str, Any] = field(default_factory=dict)

    def save(self, path: Path | None = None) -> Path:
        target = path or default_path()
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=target.parent, prefix=".model-", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                pickle.dump({"format": FORMAT, "model": self}, out, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temp, target)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
        return target


def load_model(path: Path | None = None) -> CodingModel | None:
    """The saved model, or None when there is none."""
    source = path or default_path()
    if not source.is_file():
        return None
    try:
        with source.open("rb") as handle:
            data = pickle.load(handle)
    except Exception as exc:
        raise DataError(
            f"{source} is not a readable coding model ({exc}): run `medbill coding train`"
        ) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise DataError(f"{source} was written by another version of medbill: run `medbill coding train`")
    model = data["model"]
    if not isinstance(model, CodingModel):
        raise DataError(f"{source} does not hold a coding model: run `medbill coding train`")
    return model
