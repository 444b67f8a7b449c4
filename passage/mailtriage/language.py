"""The language a client wrote in, English or French, with py3langid's model (offline,
shipped in its package) limited to the two."""

from functools import cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier

LANGUAGES = ("en", "fr")
# With nothing to go on (an empty email, an attachment alone), the answer goes in both
# languages' first: English is the first of the bilingual templates.
NOTHING_WRITTEN = "en"


@cache
def _identifier() -> LanguageIdentifier:
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(LANGUAGES))
    return identifier


def detect_language(text: str) -> str:
    """`en` or `fr`: the main language of the text (a mixed email takes the one most of
    it is written in)."""
    if not any(char.isalpha() for char in text):
        return NOTHING_WRITTEN
    language, _probability = _identifier().classify(text)
    return str(language)
