"""How an officer's skills read on the supervisor's pages: each by its name in the page's
language (a program or one of its categories, a language, a risk area), not its code."""

from collections.abc import Iterable

from django import template

from passage.languages import active_language
from passage.workbench.models import Skill
from passage.workbench.presenters.common import skill_name

register = template.Library()


@register.filter
def skills_named(skills: Iterable[Skill]) -> str:
    """`Program International Experience Canada (3), Language French (3)`."""
    language = active_language()
    return ", ".join(
        f"{skill.get_kind_display()} {skill_name(skill.value, language)} ({skill.proficiency})"
        for skill in skills
    )
