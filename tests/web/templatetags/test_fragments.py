"""Layout fragments rendered once per language."""

from django.template.loader import render_to_string
from django.utils import translation

from passage.web.templatetags.fragments import per_language


def test_a_fragment_is_the_template_rendered_in_the_active_language():
    for language, other, signature in (
        ("en", "fr", "Government of Canada"),
        ("fr", "en", "Gouvernement du Canada"),
    ):
        with translation.override(language):
            fragment = per_language("web/includes/signature.html")
            expected = render_to_string("web/includes/signature.html", {"other_language": other})

        assert fragment == expected
        assert signature in fragment
        assert f'lang="{other}"' in fragment


def test_a_fragment_is_rendered_once_per_language(settings):
    settings.DEBUG = False
    with translation.override("fr"):
        first = per_language("web/includes/footer.html")
        again = per_language("web/includes/footer.html")
    with translation.override("en"):
        english = per_language("web/includes/footer.html")

    assert again is first
    assert english != first
    assert "Terms and conditions" in english
    assert "Avis" in first
