"""The relevance model and the replay of a labelled data set (as ASReview's simulation does).

Features are TF-IDF of title + abstract (unigrams and bigrams, sublinear term frequency);
the classifier is chosen by name so the simulation can compare them on the same features.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.naive_bayes import MultinomialNB

DEFAULT_MODEL = "logreg"
MODELS = ("logreg", "nb")


def vectorizer() -> TfidfVectorizer:
    return TfidfVectorizer(
        ngram_range=(1, 2),
        min_df=2,
        max_df=0.9,
        sublinear_tf=True,
        stop_words="english",
        max_features=200_000,
        dtype=np.float32,
    )


def features(texts: Sequence[str]) -> sparse.csr_matrix:
    """Return the TF-IDF matrix of the texts (one row per text)."""
    try:
        return vectorizer().fit_transform(texts).tocsr()
    except ValueError:  # too few texts for min_df: fall back to every term
        return TfidfVectorizer(sublinear_tf=True, dtype=np.float32).fit_transform(texts).tocsr()


def classifier(name: str = DEFAULT_MODEL):
    """Return an untrained classifier: balanced logistic regression or naive Bayes."""
    if name == "nb":
        # ASReview's naive Bayes default alpha
        return MultinomialNB(alpha=3.822)
    return LogisticRegression(C=10.0, class_weight="balanced", max_iter=1000, solver="liblinear")


def relevance_scores(
    matrix: sparse.csr_matrix, labelled: np.ndarray, labels: np.ndarray, name: str = DEFAULT_MODEL
) -> np.ndarray:
    """Fit on the labelled rows and return the probability of relevance of every row."""
    model = classifier(name)
    model.fit(matrix[labelled], labels)
    return model.predict_proba(matrix)[:, 1]


def prior_corrected(scores: np.ndarray, n_pos: int, n_neg: int, name: str = DEFAULT_MODEL):
    """Undo the class balancing so probabilities sum to an expected number of relevant records.

    Balanced weights multiply the odds by n_neg / n_pos (Saerens et al. 2002 prior shift).
    """
    if name != "logreg" or n_pos == 0 or n_neg == 0:
        return scores
    p = np.clip(scores, 1e-9, 1 - 1e-9)
    odds = p / (1 - p) * (n_pos / n_neg)
    return odds / (1 + odds)


@dataclass(frozen=True)
class SimulationResult:
    n: int
    n_included: int
    wss_at_95: float
    recall_at_10pct: float
    screened_for_95pct_recall: int

    def as_dict(self) -> dict:
        return {
            "n": self.n,
            "n_included": self.n_included,
            "wss_at_95": round(self.wss_at_95, 4),
            "recall_at_10pct": round(self.recall_at_10pct, 4),
            "screened_for_95pct_recall": self.screened_for_95pct_recall,
        }


def batch_size(n_labelled: int) -> int:
    """Retrain after every record at first, then after ~4% more records (k grows)."""
    return max(1, n_labelled // 25)


def simulate(
    texts: Sequence[str], included: Sequence[int], seed: int = 0, model: str = DEFAULT_MODEL
) -> SimulationResult:
    """Replay a labelled set from one random include and one random exclude.

    The reviewer screens the highest-scored unscreened record; the model is retrained after
    every ``batch_size(labelled)`` records. WSS@95 = (N − screened for 95% recall) / N − 0.05
    (Cohen et al. 2006); recall@10% is the share of includes found in the first 10%.
    """
    y = np.asarray(included, dtype=int)
    n, n_included = len(y), int(y.sum())
    if n_included == 0 or n_included == n:
        raise ValueError("The data set needs at least one included and one excluded record.")
    rng = np.random.default_rng(seed)
    matrix = features(list(texts))
    order = [int(rng.choice(np.flatnonzero(y == 1))), int(rng.choice(np.flatnonzero(y == 0)))]
    screened = np.zeros(n, dtype=bool)
    screened[order] = True
    target = math.ceil(0.95 * n_included)
    ten_pct = math.ceil(0.1 * n)
    found = int(y[order].sum())
    while not screened.all() and (found < target or len(order) < ten_pct):
        labelled = np.array(order)
        scores = relevance_scores(matrix, labelled, y[labelled], model)
        scores[screened] = -np.inf
        k = min(batch_size(len(order)), int((~screened).sum()))
        top = np.argpartition(-scores, k - 1)[:k] if k < len(scores) else np.arange(len(scores))
        top = top[np.argsort(-scores[top], kind="stable")]
        for index in top:
            order.append(int(index))
            screened[index] = True
            found += int(y[index])
    remaining = np.flatnonzero(~screened)
    order.extend(int(i) for i in remaining)  # the rest would follow in some order: irrelevant
    hits = np.cumsum(y[np.array(order)])
    screened_for_95 = int(np.argmax(hits >= target)) + 1
    return SimulationResult(
        n=n,
        n_included=n_included,
        wss_at_95=(n - screened_for_95) / n - 0.05,
        recall_at_10pct=float(hits[ten_pct - 1] / n_included),
        screened_for_95pct_recall=screened_for_95,
    )
