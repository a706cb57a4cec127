"""The learned ranking: gradient-boosted trees fitted at mine time on the lexicon and the decision log.

Distant supervision, as AutoPhrase does it with a knowledge base: the positives
are the loaded lexicon's entries (phrase and variants) as the corpus uses them,
the negatives are frequent n-grams drawn at random (most are not formulas; the
few that are only add noise the model is robust to) and every phrase a curator
rejected. Each is described by the same row of :mod:`.features` as the
candidates, so the model learns how formulas are used in *this* corpus, and
every ``review`` decision is training data for the next ``mine``.

It is fitted in a second or two on a few thousand rows, so it is never
stored, cached or read back: nothing is unpickled. With fewer than
:data:`MIN_EXAMPLES` of either class there is nothing to learn from, and the
hand-set weights of :mod:`.rank` rank instead.

A candidate's score is the model's log-odds. Trees were chosen over a logistic
regression on the choosing sample of benchmarks/mining_eval.py (formulas are
not linear in their features: many items or a high quoting rate mean something
only with the right length and spread); ``mine --explain`` prints, for each
feature, how much the log-odds fall when that feature alone is set to its
training mean.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .features import NAMES

MIN_EXAMPLES = 20
"""Fewest positives and fewest negatives found in the corpus to fit a model at all."""
NEGATIVES = 2000
"""Random frequent n-grams drawn as negatives (with every rejected phrase found in the corpus)."""
SEED = 0
"""The draw of negatives is fixed: the same corpus and lexicon rank the same way in every run."""
MONOTONE = {
    "log_freq": 1, "log_docs": 1, "log_periods": 1, "cohesion": 1, "quote_rate": 1, "governed_rate": 1,
    "framed_rate": 1, "common-word": -1, "split-word": -1,
}  # fmt: skip
"""Features the trees may only read one way: more use, more cohesion, more quoting never make a phrase less
formula-like, nor a word boundary inside it more. Without them the trees learned from the few thousand
rows that a phrase used very often was *less* likely a formula (复工复产, 1,458 times in People's Daily,
ranked 12,716th)."""
LEARNERS = ("boosting", "logistic")
"""``boosting`` (scikit-learn's histogram gradient-boosted trees) ranks; ``logistic`` (a logistic regression) is
what benchmarks/mining_eval.py measures it against."""


@dataclass(frozen=True)
class Term:
    """One feature's part in a score: its value and what it added."""

    name: str
    value: float
    contribution: float


@dataclass(frozen=True)
class Model:
    """A fitted classifier of formula-like rows, and how many rows of each class taught it."""

    estimator: Any
    positives: int
    negatives: int
    learner: str

    def scores(self, rows: Sequence[Sequence[float]]) -> list[float]:
        """Log-odds that each row is a formula's."""
        if not rows:
            return []
        with _one_thread():
            return [float(s) for s in self.estimator.decision_function(rows)]

    def explain(self, row: Sequence[float]) -> list[Term]:
        """Each feature's contribution to the row's log-odds, largest first, then the intercept.

        For boosted trees, which have no additive form, the contribution is the
        change in log-odds when the feature alone is set to the training mean.
        """
        if self.learner == "logistic":
            scaler, regression = self.estimator[0], self.estimator[-1]
            scaled = (list(row) - scaler.mean_) / scaler.scale_
            weights = regression.coef_[0]
            parts = [Term(n, v, float(c * x)) for n, v, c, x in zip(NAMES, row, weights, scaled, strict=True)]
            intercept = float(regression.intercept_[0])
        else:
            means = self.estimator[0].mean_
            moved = [[float(means[i]) if i == j else v for j, v in enumerate(row)] for i in range(len(row))]
            whole, *without = self.scores([row, *moved])
            parts = [Term(n, v, whole - w) for n, v, w in zip(NAMES, row, without, strict=True)]
            intercept = whole - sum(p.contribution for p in parts)
        parts.sort(key=lambda t: -abs(t.contribution))
        return [*parts, Term("(intercept)", 1.0, intercept)]


def fit(positives: Sequence[Sequence[float]], negatives: Sequence[Sequence[float]], learner: str) -> Model | None:
    """A model told apart ``positives`` from ``negatives``, or ``None`` with too few of either."""
    if len(positives) < MIN_EXAMPLES or len(negatives) < MIN_EXAMPLES:
        return None
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    classifier = (
        LogisticRegression(C=1.0, class_weight="balanced", max_iter=2000)
        if learner == "logistic"
        else HistGradientBoostingClassifier(
            max_iter=100, class_weight="balanced", random_state=SEED, monotonic_cst=[MONOTONE.get(n, 0) for n in NAMES]
        )
    )
    estimator = make_pipeline(StandardScaler(), classifier)
    with _one_thread():
        estimator.fit([*positives, *negatives], [1] * len(positives) + [0] * len(negatives))
    return Model(estimator, len(positives), len(negatives), learner)


def _one_thread() -> Any:
    """One thread for fitting and scoring: on a few thousand rows, OpenMP's threads cost more than they save,
    and on a shared machine they wait on each other (40 s instead of 2 s, measured under load)."""
    from threadpoolctl import threadpool_limits

    return threadpool_limits(1)
