"""The IEC eligibility rules of programs/iec/rules.yaml as an OpenFisca tax-benefit system.

Written for the rules benchmark (benchmarks/rules.py), two ways:

- idiomatic (`build(lookup=False)`): Enum variables for citizenship, category and the
  yes/no answers, a parameter tree, and formulas that index country parameters with the
  citizenship vector (`p.maximum_age[citizenship]`, OpenFisca's "fancy indexing");
- lookup arrays (`build(lookup=True)`): the same parameters read once per calculation
  into NumPy arrays indexed by the integer code of each country.

A criterion variable is an int: FAIL, PASS, UNKNOWN (a fact it needs is missing, so its
value cannot be decided, as Passage's three-valued logic says) or NOT_APPLICABLE (the
criterion does not apply to the category). OpenFisca has no null, so a missing fact is
a sentinel: the UNKNOWN member of an Enum, NaN for funds, -1 for participations and
MISSING_DATE for a date. Parameters are read at the simulation's period, one instant for
every row; Passage reads them on each line's invitation date. With every invitation
after the only effective date (2025-01-01) the values agree; a missing invitation date,
for which Passage reads no parameter at all, is handled by the `as_of_known` mask.
"""

from __future__ import annotations

import datetime
from typing import Any

import numpy as np
from iec import CATEGORIES, CRITERIA  # beside this file
from openfisca_core.entities import build_entity
from openfisca_core.indexed_enums import Enum
from openfisca_core.parameters import ParameterNode
from openfisca_core.periods import MONTH
from openfisca_core.taxbenefitsystems import TaxBenefitSystem
from openfisca_core.variables import Variable

FAIL, PASS, UNKNOWN, NOT_APPLICABLE = 0, 1, 2, 3
MISSING_DATE = np.datetime64("1000-01-01", "D")
EFFECTIVE = "2025-01-01"

Person = build_entity(
    key="person",
    plural="persons",
    label="An applicant",
    doc="One IEC application line.",
    is_person=True,
)


class Answer(Enum):
    UNKNOWN = "not given"
    NO = "no"
    YES = "yes"


class Category(Enum):
    working_holiday = "working-holiday"
    young_professionals = "young-professionals"
    international_coop = "international-coop"


def country_enum(codes: list[str]) -> type[Enum]:
    """Countries as an Enum: UNKNOWN (citizenship not given) first, then `codes`."""
    return Enum("Country", {"UNKNOWN": "not given", **{code: code for code in codes}})


def _code(value: Any, known: Any) -> Any:
    """PASS/FAIL from a boolean vector, UNKNOWN where it cannot be decided."""
    return np.where(known, np.where(value, PASS, FAIL), UNKNOWN).astype(np.int8)


def _ymd(dates: Any) -> tuple[Any, Any, Any]:
    dates = np.asarray(dates, dtype="datetime64[D]")
    months = dates.astype("datetime64[M]")
    year = dates.astype("datetime64[Y]").astype(np.int64) + 1970
    month = months.astype(np.int64) % 12 + 1
    day = (dates - months).astype(np.int64) + 1
    return year, month, day


def _parameters(ruleset: Any, countries: list[str]) -> ParameterNode:
    """The IEC parameters of `ruleset` (a Passage RuleSet) as an OpenFisca parameter tree,
    with an entry for every country of the Enum (0 / no category for non-partners)."""
    values = ruleset.parameter_values
    on = datetime.date.fromisoformat(EFFECTIVE)
    maximum = {}
    offers: dict[str, dict[str, Any]] = {c.replace("-", "_"): {} for c in CATEGORIES}
    for country in ["UNKNOWN", *countries]:
        age, _ = values["maximum_age"].at(on, country)
        maximum[country] = {"values": {EFFECTIVE: int(age or 0)}}
        offered, _ = values["categories_offered"].at(on, country)
        for category in CATEGORIES:
            node = offers[category.replace("-", "_")]
            node[country] = {"values": {EFFECTIVE: category in (offered or [])}}

    def scalar(name: str) -> dict[str, Any]:
        value, _ = values[name].at(on)
        return {"values": {EFFECTIVE: value}}

    return ParameterNode(
        "",
        data={
            "iec": {
                "minimum_age": scalar("minimum_age"),
                "minimum_funds": scalar("minimum_funds"),
                "fewest_participations_allowed": scalar("fewest_participations_allowed"),
                "most_participations_allowed": scalar("most_participations_allowed"),
                "maximum_age": maximum,
                "categories_offered": offers,
            }
        },
    )


def build(ruleset: Any, countries: list[str], lookup: bool) -> tuple[TaxBenefitSystem, type[Enum]]:
    """The tax-benefit system and its Country Enum; `lookup` picks the lookup-array variant."""
    Country = country_enum(countries)
    names = [member.name for member in Country]

    def variable(name: str, value_type: Any, **extra: Any) -> type[Variable]:
        attributes = {
            "value_type": value_type,
            "entity": Person,
            "definition_period": MONTH,
            "label": name,
            **extra,
        }
        return type(name, (Variable,), attributes)

    inputs = [
        variable("citizenship", Enum, possible_values=Country, default_value=Country["UNKNOWN"]),
        variable(
            "category",
            Enum,
            possible_values=Category,
            default_value=Category.working_holiday,
        ),
        variable("date_of_birth", datetime.date, default_value=MISSING_DATE.item()),
        variable("invitation_date", datetime.date, default_value=MISSING_DATE.item()),
        variable("insurance_until", datetime.date, default_value=MISSING_DATE.item()),
        variable("stay_until", datetime.date, default_value=MISSING_DATE.item()),
        variable("funds_cad", float, default_value=float("nan")),
        variable("previous_participations", int, default_value=-1),
        variable(
            "accompanying_dependants", Enum, possible_values=Answer, default_value=Answer.UNKNOWN
        ),
        variable("job_offer", Enum, possible_values=Answer, default_value=Answer.UNKNOWN),
        variable(
            "enrolled_post_secondary", Enum, possible_values=Answer, default_value=Answer.UNKNOWN
        ),
    ]

    def as_of_known(person: Any, period: Any) -> Any:
        return person("invitation_date", period) != MISSING_DATE

    def age_formula(person: Any, period: Any, parameters: Any) -> Any:
        birth = person("date_of_birth", period)
        on = person("invitation_date", period)
        by, bm, bd = _ymd(birth)
        oy, om, od = _ymd(on)
        before = (om * 100 + od) < (bm * 100 + bd)
        return oy - by - before

    def age_known(person: Any, period: Any, parameters: Any) -> Any:
        return (person("date_of_birth", period) != MISSING_DATE) & as_of_known(person, period)

    if lookup:

        def table(node: Any) -> Any:
            return np.array([node[name] for name in names])

        def partner_formula(person: Any, period: Any, parameters: Any) -> Any:
            p = parameters(period).iec
            citizenship = np.asarray(person("citizenship", period)).view(np.ndarray)
            category = np.asarray(person("category", period)).view(np.ndarray)
            offered = np.stack(
                [table(p.categories_offered[c.name]) for c in Category]
            )  # category x country
            known = (citizenship != Country["UNKNOWN"].index) & as_of_known(person, period)
            return _code(offered[category, citizenship], known)

        def maximum_age(person: Any, period: Any, parameters: Any) -> Any:
            citizenship = np.asarray(person("citizenship", period)).view(np.ndarray)
            return table(parameters(period).iec.maximum_age)[citizenship]

    else:

        def partner_formula(person: Any, period: Any, parameters: Any) -> Any:
            p = parameters(period).iec
            citizenship = person("citizenship", period)
            category = person("category", period)
            offered = np.select(
                [
                    category == Category.working_holiday,
                    category == Category.young_professionals,
                    category == Category.international_coop,
                ],
                [
                    p.categories_offered.working_holiday[citizenship],
                    p.categories_offered.young_professionals[citizenship],
                    p.categories_offered.international_coop[citizenship],
                ],
            )
            known = (citizenship != Country["UNKNOWN"]) & as_of_known(person, period)
            return _code(offered, known)

        def maximum_age(person: Any, period: Any, parameters: Any) -> Any:
            return parameters(period).iec.maximum_age[person("citizenship", period)]

    def age_in_range(person: Any, period: Any, parameters: Any) -> Any:
        p = parameters(period).iec
        age = person("iec_age", period)
        known = person("iec_age_known", period)
        highest = person("iec_maximum_age", period)  # 0: no arrangement, no maximum
        old_enough = age >= p.minimum_age
        young_enough = age <= highest
        young_enough_known = known & (highest > 0)
        # Kleene's `and`: a decided false decides; both true passes; otherwise unknown.
        return np.select(
            [known & ~old_enough, young_enough_known & ~young_enough, young_enough_known],
            [FAIL, FAIL, PASS],
            UNKNOWN,
        ).astype(np.int8)

    def minimum_funds(person: Any, period: Any, parameters: Any) -> Any:
        funds = person("funds_cad", period)
        known = ~np.isnan(funds) & as_of_known(person, period)
        return _code(funds >= parameters(period).iec.minimum_funds, known)

    def insurance(person: Any, period: Any, parameters: Any) -> Any:
        until = person("insurance_until", period)
        stay = person("stay_until", period)
        return _code(until >= stay, (until != MISSING_DATE) & (stay != MISSING_DATE))

    def dependants(person: Any, period: Any, parameters: Any) -> Any:
        answer = person("accompanying_dependants", period)
        return _code(answer == Answer.NO, answer != Answer.UNKNOWN)

    def job_offer(person: Any, period: Any, parameters: Any) -> Any:
        answer = person("job_offer", period)
        applies = person("category", period) != Category.working_holiday
        return np.where(
            applies, _code(answer == Answer.YES, answer != Answer.UNKNOWN), NOT_APPLICABLE
        ).astype(np.int8)

    def enrolment(person: Any, period: Any, parameters: Any) -> Any:
        answer = person("enrolled_post_secondary", period)
        applies = person("category", period) == Category.international_coop
        return np.where(
            applies, _code(answer == Answer.YES, answer != Answer.UNKNOWN), NOT_APPLICABLE
        ).astype(np.int8)

    def participations(person: Any, period: Any, parameters: Any) -> Any:
        p = parameters(period).iec
        count = person("previous_participations", period)
        known = (count >= 0) & as_of_known(person, period)
        # Below the most any arrangement allows, and below the fewest (no cap is recorded,
        # so between the two it cannot be decided).
        return np.select(
            [
                ~known,
                count >= p.most_participations_allowed,
                count < p.fewest_participations_allowed,
            ],
            [UNKNOWN, FAIL, PASS],
            UNKNOWN,
        ).astype(np.int8)

    criteria = {
        "partner-country-category": partner_formula,
        "age-in-range": age_in_range,
        "minimum-funds": minimum_funds,
        "insurance-covers-stay": insurance,
        "no-accompanying-dependants": dependants,
        "job-offer": job_offer,
        "post-secondary-enrolment": enrolment,
        "participations-below-cap": participations,
    }

    def tier(person: Any, period: Any, parameters: Any) -> Any:
        codes = [person(variable_name(c), period) for c in CRITERIA]
        failed = np.logical_or.reduce([c == FAIL for c in codes])
        unknown = np.logical_or.reduce([c == UNKNOWN for c in codes])
        return np.select([failed, unknown], [3, 2], 1).astype(np.int8)

    formulas = [
        variable("iec_age", int, formula=age_formula),
        variable("iec_age_known", bool, formula=age_known),
        variable("iec_maximum_age", int, formula=maximum_age),
        *[
            variable(variable_name(name), int, formula=formula)
            for name, formula in criteria.items()
        ],
        variable("iec_tier", int, formula=tier),
    ]

    system = TaxBenefitSystem([Person])
    system.parameters = _parameters(ruleset, countries)
    for cls in [*inputs, *formulas]:
        system.add_variable(cls)
    return system, Country


def variable_name(criterion: str) -> str:
    return "iec_" + criterion.replace("-", "_")
