"""Training the category classifier on the corpus, reproducibly, and measuring it on the
emails kept out of training: what `passage mail train` runs and the docs show."""

from collections import Counter
from dataclasses import dataclass, replace

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from threadpoolctl import threadpool_limits

from passage.mailtriage.corpus import Email, held_out, variants
from passage.mailtriage.model import CATEGORIES, Classifier, counts, weighted
from passage.mailtriage.text import client_text
from passage.mailtriage.triage import triage_all

# The regularisation, chosen once by cross-validation on the training part.
STRENGTH = 20.0
# The route is `auto` from the lowest probability at which, in cross-validation on the
# training part, at least this share of the emails routed automatically were right.
AUTO_PRECISION = 0.97
FOLDS = 5


@dataclass(frozen=True)
class Trained:
    """A classifier, the emails it was trained on (with variants) and those kept out."""

    classifier: Classifier
    training: list[Email]
    evaluation: list[Email]


def train(emails: list[Email], labelled: list[Email] | None = None) -> Trained:
    """Fit the classifier on the training part (each email with its variants), its
    threshold by cross-validation on that part alone. `labelled`: emails officers
    categorised (`passage mail labels`), added to training only, never evaluated on."""
    written = [email for email in emails if not held_out(email)] + list(labelled or [])
    training = [variant for email in written for variant in variants(email)]
    about = {
        "training_emails": len(training),
        "written_emails": len(written),
        "per_category": dict(sorted(Counter(email.category for email in written).items())),
        "strength": STRENGTH,
        "auto_precision_target": AUTO_PRECISION,
    }
    classifier = replace(_fit(training), threshold=_threshold(training), about=about)
    return Trained(classifier, training, [email for email in emails if held_out(email)])


def _fit(emails: list[Email]) -> Classifier:
    """A classifier fitted on the emails, its threshold left at 1 (the caller sets it).

    Only the hashed columns some training email uses are fitted: the others would get a
    weight of 0 anyway, and leaving them out makes fitting several times faster. One
    thread, so that the sums, and so the model, come out the same on every run."""
    counted = counts([client_text(email.subject, email.body) for email in emails])
    idf = _idf(counted)
    used = np.unique(counted.indices)
    model = LogisticRegression(C=STRENGTH, max_iter=1000)
    with threadpool_limits(1):
        model.fit(
            weighted(counted, idf)[:, used],
            [CATEGORIES.index(email.category) for email in emails],
        )
    order = [list(model.classes_).index(number) for number in range(len(CATEGORIES))]
    rows, columns = np.meshgrid(np.arange(len(CATEGORIES)), used, indexing="ij")
    weights = sparse.csr_matrix(
        (model.coef_[order].ravel(), (rows.ravel(), columns.ravel())),
        shape=(len(CATEGORIES), counted.shape[1]),
    )
    return Classifier(CATEGORIES, idf, weights, model.intercept_[order], 1.0, {})


def _idf(counted: sparse.csr_matrix) -> np.ndarray:
    """Each column's smoothed inverse document frequency, as scikit-learn's TF-IDF has it."""
    seen = np.bincount(counted.indices, minlength=counted.shape[1])
    return np.log((1 + counted.shape[0]) / (1 + seen)) + 1.0


def _base(email: Email) -> str:
    return email.id.split("~")[0]


def _threshold(training: list[Email]) -> float:
    """The lowest cut-off at which cross-validated automatic routing is right often
    enough; the variants of one email stay in one fold."""
    bases = sorted({_base(email) for email in training})
    labels = {email.id: email.category for email in training}
    folds = StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=0)
    confidence: list[float] = []
    right: list[bool] = []
    for fitted_part, tested_part in folds.split(bases, [labels[base] for base in bases]):
        fitted_bases = {bases[i] for i in fitted_part}
        tested_bases = {bases[i] for i in tested_part}
        classifier = _fit([email for email in training if _base(email) in fitted_bases])
        tested = [email for email in training if email.id in tested_bases]
        results = triage_all(
            [(email.subject, email.body) for email in tested], classifier=classifier
        )
        for email, result in zip(tested, results, strict=True):
            confidence.append(result.confidence)
            right.append(result.category == email.category)
    order = np.argsort(confidence, kind="stable")[::-1]
    ranked = np.asarray(confidence)[order]
    precision = np.cumsum(np.asarray(right)[order]) / np.arange(1, len(order) + 1)
    good = np.nonzero(precision >= AUTO_PRECISION)[0]
    return float(round(ranked[good.max()], 3)) if len(good) else 1.0
