"""The category classifier the service runs: words and letter sequences hashed into a
fixed space (no vocabulary to keep), weighted by how rare they were in training (TF-IDF),
and a multinomial logistic regression over the eight categories. The model is plain
arrays in one `.npz` file of the repository, loaded without pickle."""

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import HashingVectorizer

from passage.mailtriage.text import comparable

MODEL_FILE = Path(__file__).parent / "model" / "classifier.npz"
CATEGORIES = (
    "status-enquiry",
    "document-submission",
    "urgent-travel",
    "technical-problem",
    "change-of-information",
    "withdrawal",
    "complaint",
    "other",
)
# The spec's order when an email asks several things: the most time-critical first.
PRIORITY = (
    "urgent-travel",
    "technical-problem",
    "withdrawal",
    "change-of-information",
    "document-submission",
    "complaint",
    "status-enquiry",
    "other",
)
WORD_FEATURES = 2**18
LETTER_FEATURES = 2**18
_WORDS = HashingVectorizer(
    n_features=WORD_FEATURES,
    ngram_range=(1, 2),
    token_pattern=r"(?u)\b\w+\b",  # noqa: S106 - a regular expression, not a password
    alternate_sign=False,
    norm=None,
    lowercase=False,
)
_LETTERS = HashingVectorizer(
    n_features=LETTER_FEATURES,
    analyzer="char_wb",
    ngram_range=(3, 5),
    alternate_sign=False,
    norm=None,
    lowercase=False,
)


def counts(texts: list[str]) -> sparse.csr_matrix:
    """Each text's hashed word pairs and letter sequences, counted (before TF-IDF)."""
    readable = [comparable(text) for text in texts]
    return sparse.hstack([_WORDS.transform(readable), _LETTERS.transform(readable)]).tocsr()


def weighted(counted: sparse.csr_matrix, idf: np.ndarray) -> sparse.csr_matrix:
    """TF-IDF with a dampened count (1 + log), each row scaled to unit length. Computed
    on the stored values alone: the hashed space is too wide for diagonal matrices."""
    rows = sparse.csr_matrix(counted, dtype=np.float64, copy=True)
    rows.data = (1.0 + np.log(rows.data)) * idf[rows.indices]
    squares = np.add.reduceat(rows.data**2, rows.indptr[:-1]) if rows.nnz else np.zeros(0)
    lengths = np.zeros(rows.shape[0])
    filled = np.diff(rows.indptr) > 0
    lengths[filled] = np.sqrt(squares[filled])
    lengths[lengths == 0] = 1.0
    rows.data /= np.repeat(lengths, np.diff(rows.indptr))
    return rows


@dataclass(frozen=True)
class Classifier:
    """A trained model: the categories in the order of its weights, each feature's
    inverse document frequency, the weights and intercepts, and what training measured."""

    categories: tuple[str, ...]
    idf: np.ndarray
    weights: sparse.csr_matrix
    intercepts: np.ndarray
    threshold: float
    about: dict[str, object]
    # The weights as columns, made once: what each text's features are multiplied by.
    _columns: sparse.csc_matrix = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_columns", sparse.csc_matrix(self.weights.T))

    def probabilities(self, texts: list[str]) -> np.ndarray:
        """One row per text, one probability per category (in `categories` order)."""
        scores = np.asarray((weighted(counts(texts), self.idf) @ self._columns).todense())
        scores += self.intercepts
        scores -= scores.max(axis=1, keepdims=True)
        exponentials = np.exp(scores)
        return np.asarray(exponentials / exponentials.sum(axis=1, keepdims=True))

    def save(self, path: Path) -> None:
        """Write the model as arrays only, compressed; the same model writes the same
        arrays, so a retrained model shows in a diff only when it changed."""
        path.parent.mkdir(parents=True, exist_ok=True)
        weights = self.weights.tocsr()
        with path.open("wb") as file:
            np.savez_compressed(
                file,
                categories=np.array(self.categories),
                idf=self.idf.astype(np.float32),
                weights_data=weights.data.astype(np.float32),
                weights_indices=weights.indices.astype(np.int32),
                weights_indptr=weights.indptr.astype(np.int32),
                intercepts=self.intercepts.astype(np.float64),
                threshold=np.array(self.threshold),
                about=np.array(json.dumps(self.about, sort_keys=True)),
            )


def load(path: Path = MODEL_FILE) -> Classifier:
    """Read a model written by `Classifier.save` (no pickle is ever loaded)."""
    with np.load(path, allow_pickle=False) as arrays:
        features = WORD_FEATURES + LETTER_FEATURES
        categories = tuple(str(name) for name in arrays["categories"])
        weights = sparse.csr_matrix(
            (arrays["weights_data"], arrays["weights_indices"], arrays["weights_indptr"]),
            shape=(len(categories), features),
        )
        return Classifier(
            categories=categories,
            idf=arrays["idf"].astype(np.float64),
            weights=weights.astype(np.float64),
            intercepts=arrays["intercepts"],
            threshold=float(arrays["threshold"]),
            about=json.loads(str(arrays["about"])),
        )


@cache
def shipped() -> Classifier:
    """The model in the repository, read once per process."""
    return load()
