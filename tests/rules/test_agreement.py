"""The scalar and the columnar evaluators must give the same result lines on any facts."""

import datetime
from typing import Any

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from passage.rules import evaluate, evaluate_batch, expressions, load_ruleset
from passage.rules.expressions import ParameterValues, Scope, Timeline
from tests.rules.builders import IEC_RULES

IEC = load_ruleset(IEC_RULES)
D = datetime.date

# Dates that matter: 29 February, parameter effective dates, birthdays at the age limits.
EDGE_DATES = [
    D(2024, 2, 29),
    D(2025, 1, 1),
    D(2024, 12, 31),
    D(2025, 2, 28),
    D(2025, 3, 1),
    D(1996, 2, 29),
    D(1990, 1, 1),
    D(2007, 1, 1),
    D(2028, 2, 29),
]
dates = st.one_of(
    st.sampled_from(EDGE_DATES), st.dates(min_value=D(1980, 1, 1), max_value=D(2030, 12, 31))
)


def maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), strategy)


iso_dates = dates.map(lambda d: d.isoformat())
facts = st.fixed_dictionaries(
    {},
    optional={
        "citizenship": maybe(st.sampled_from(["FR", "JP", "CH", "US", "BE", "NL", "GB", "KR"])),
        "date_of_birth": maybe(iso_dates),
        "invitation_date": maybe(iso_dates),
        "funds_cad": maybe(st.one_of(st.integers(0, 6000), st.floats(2499, 2501))),
        "insurance_until": maybe(iso_dates),
        "stay_until": maybe(iso_dates),
        "accompanying_dependants": maybe(st.booleans()),
        "job_offer": maybe(st.booleans()),
        "enrolled_post_secondary": maybe(st.booleans()),
        "previous_participations": maybe(st.integers(0, 4)),
    },
)
lines = st.builds(
    lambda category, facts: {"id": "x", "program": "iec", "category": category, "facts": facts},
    st.sampled_from(IEC.categories),
    facts,
)


@settings(max_examples=60, deadline=None)
@given(st.lists(lines, min_size=1, max_size=25), maybe(dates))
def test_scalar_and_columnar_give_the_same_result_lines(
    batch: list[dict[str, Any]], as_of: datetime.date | None
) -> None:
    assert evaluate_batch(IEC, batch, as_of) == [evaluate(IEC, line, as_of) for line in batch]


PARAMETERS = {
    "limit": ParameterValues(
        "limit",
        timeline=Timeline(((D(2002, 6, 28), 22), (D(2014, 8, 1), 19), (D(2017, 10, 24), 22))),
    ),
}
EXPRESSIONS = [
    "age(birth, on) < param.limit",
    "years_before(on, 5) <= birth or is_null(birth)",
    "days_between(birth, on) >= 730 and not (age(birth, on) > 30)",
    "years_after(birth, 18) <= on",
]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(maybe(dates), maybe(dates)), min_size=1, max_size=20),
    st.sampled_from(EXPRESSIONS),
)
def test_date_functions_agree_around_29_february_and_effective_dates(
    rows: list[tuple[datetime.date | None, datetime.date | None]], source: str
) -> None:
    node = expressions.parse(source)
    frame = pl.DataFrame(
        {"birth": [b for b, _ in rows], "on": [o for _, o in rows]},
        schema={"birth": pl.Date, "on": pl.Date},
    )
    columnar = frame.select(expressions.to_polars(node, PARAMETERS, pl.col("on"))).to_series()
    scalar = [
        expressions.evaluate(node, Scope({"birth": b, "on": o}, PARAMETERS, o)) for b, o in rows
    ]
    assert columnar.to_list() == scalar


# Keyed parameters with several periods: a table of (period, key) on the columnar side, a
# look-up remembered by period and key on the scalar side; both must follow the timelines.
CHANGES = [D(2014, 8, 1), D(2017, 10, 24), D(2025, 1, 1)]
KEYS = ["FR", "JP", "NO", "CH"]
MEMBERS = ["a", "b", "c"]


def timelines(values: st.SearchStrategy[Any]) -> st.SearchStrategy[Timeline]:
    return st.lists(st.tuples(st.sampled_from(CHANGES), maybe(values)), max_size=3).map(
        lambda changes: Timeline(tuple(sorted(dict(changes).items())))
    )


def keyed(values: st.SearchStrategy[Any]) -> st.SearchStrategy[ParameterValues]:
    return st.builds(
        lambda by_key, default: ParameterValues("p", by_key=by_key, default=default),
        st.dictionaries(st.sampled_from(KEYS), timelines(values), max_size=4),
        maybe(values),
    )


around_changes = st.one_of(
    st.sampled_from([*CHANGES, *(c - datetime.timedelta(days=1) for c in CHANGES)]),
    dates,
)


@settings(max_examples=150, deadline=None)
@given(
    keyed(st.integers(0, 50)),
    keyed(st.lists(maybe(st.sampled_from(MEMBERS)), max_size=3)),
    st.lists(
        st.tuples(
            maybe(st.sampled_from([*KEYS, "US", "fr"])),
            maybe(st.sampled_from([*MEMBERS, "z"])),
            maybe(around_changes),
        ),
        min_size=1,
        max_size=20,
    ),
)
def test_keyed_parameters_agree_over_every_period(
    numbers: ParameterValues,
    lists: ParameterValues,
    rows: list[tuple[str | None, str | None, datetime.date | None]],
) -> None:
    parameters = {"number": renamed(numbers, "number"), "list": renamed(lists, "list")}
    frame = pl.DataFrame(
        {"key": [k for k, _, _ in rows], "item": [i for _, i, _ in rows]},
        schema={"key": pl.String, "item": pl.String},
    ).with_columns(pl.Series("on", [o for _, _, o in rows], dtype=pl.Date))
    for source in ["param.number[key]", "item in param.list[key]", "param.list[key]"]:
        node = expressions.parse(source)
        columnar = frame.select(expressions.to_polars(node, parameters, pl.col("on")))
        scalar = [
            expressions.evaluate(node, Scope({"key": k, "item": i}, parameters, o))
            for k, i, o in rows
        ]
        assert columnar.to_series().to_list() == scalar, source


def renamed(parameter: ParameterValues, name: str) -> ParameterValues:
    return ParameterValues(name, by_key=parameter.by_key, default=parameter.default)


def test_a_remembered_call_replays_what_it_read_into_each_trace() -> None:
    # One evaluation of a line runs a criterion and then its detail: a day count is
    # computed once, and the detail's trace still lists the facts it read.
    node = expressions.parse("days_present(absences, start, end) >= 10")
    detail = expressions.parse("days_present(absences, start, end)")
    facts = {
        "absences": [{"from": D(2024, 1, 5), "to": D(2024, 1, 9)}],
        "start": D(2024, 1, 1),
        "end": D(2024, 1, 31),
    }
    evaluation = expressions.Evaluation(Scope(facts, {}, D(2024, 2, 1)))
    first, second = expressions.Trace(), expressions.Trace()
    assert evaluation.run(node, first) is True
    assert evaluation.run(detail, second) == 28
    fresh = expressions.Trace()
    assert expressions.evaluate(detail, Scope(facts, {}, D(2024, 2, 1)), fresh) == 28
    assert list(second.facts.items()) == list(fresh.facts.items()) == list(facts.items())
    assert second.parameters == fresh.parameters == []
