"""What the workbench's view models share: ages, tier labels and people's names."""

from datetime import UTC, datetime, timedelta

from django.utils import translation

from passage.accounts.models import User
from passage.cases.models import Case
from passage.workbench.presenters.common import age_days, officer_name, person_name, tier_label

NOW = datetime(2026, 3, 1, 15, tzinfo=UTC)


def test_an_age_counts_whole_days_and_is_never_negative():
    assert age_days(NOW - timedelta(days=3, hours=23), NOW) == 3
    assert age_days(NOW + timedelta(hours=1), NOW) == 0


def test_a_file_in_blind_review_shows_no_tier():
    with translation.override("en"):
        assert tier_label(Case(tier=3, blind_review=True)) == "Blind review"
        assert tier_label(Case(tier=3)) == "Tier 3: full assessment"
        assert tier_label(Case(tier=None)) == "Not triaged"


def test_a_person_is_named_by_full_name_else_username_and_nobody_is_the_system():
    named = User(username="lt", first_name="Léa", last_name="Tremblay")

    with translation.override("en"):
        assert person_name(named) == "Léa Tremblay"
        assert person_name(User(username="lt")) == "lt"
        assert person_name(None) == "Passage (automated)"
        assert officer_name(named) == "Léa Tremblay"
        assert officer_name(None) == ""
