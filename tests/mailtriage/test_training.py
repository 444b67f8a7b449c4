"""Training is reproducible: the same corpus gives the same model, byte for byte."""

from pathlib import Path

from passage.mailtriage.corpus import corpus
from passage.mailtriage.model import CATEGORIES, load
from passage.mailtriage.training import train


def small_corpus() -> list:
    emails = corpus()
    return [
        email
        for category in CATEGORIES
        for email in [e for e in emails if e.category == category][:12]
    ]


def test_the_same_corpus_trains_the_same_model(tmp_path: Path) -> None:
    first, second = train(small_corpus()), train(small_corpus())
    first.classifier.save(tmp_path / "first.npz")
    second.classifier.save(tmp_path / "second.npz")
    assert (tmp_path / "first.npz").read_bytes() == (tmp_path / "second.npz").read_bytes()
    loaded = load(tmp_path / "first.npz")
    assert loaded.categories == CATEGORIES
    assert loaded.threshold == first.classifier.threshold


def test_emails_held_out_never_reach_training() -> None:
    trained = train(small_corpus())
    trained_bases = {email.id.split("~")[0] for email in trained.training}
    assert trained_bases.isdisjoint({email.id for email in trained.evaluation})
