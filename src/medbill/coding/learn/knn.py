"""Nearest coded documents: TF-IDF cosine similarity over the training notes.

The labels of the `k` most similar training documents vote, each with its similarity (normalised
to sum 1): a code shared by close neighbours scores high. Cheap (one sparse product with a few
hundred rows) and strong on corpora whose cases repeat (procedure codes especially).
"""

import collections
from collections.abc import Sequence

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

K = 20


class NeighbourIndex:
    def __init__(self, texts: Sequence[str], labels: Sequence[Sequence[str]], k: int | None = None) -> None:
        self.k = k if k is not None else K
        self.vectorizer = TfidfVectorizer(
            ngram_range=(1, 2), min_df=2, sublinear_tf=True, stop_words="english"
        )
        self.matrix = self.vectorizer.fit_transform(texts).T.tocsr()
        self.labels = [tuple(ls) for ls in labels]

    def scores(self, text: str) -> dict[str, float]:
        """Label → similarity-weighted vote of the nearest training documents."""
        query = self.vectorizer.transform([text])
        sims = np.asarray((query @ self.matrix).todense()).ravel()
        if not sims.size:
            return {}
        k = min(self.k, sims.size)
        nearest = np.argpartition(-sims, k - 1)[:k]
        total = float(sims[nearest].sum())
        if total <= 0:
            return {}
        out: dict[str, float] = collections.defaultdict(float)
        for j in nearest:
            weight = float(sims[j]) / total
            for label in self.labels[j]:
                out[label] += weight
        return dict(out)
