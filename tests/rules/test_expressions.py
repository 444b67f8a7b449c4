import datetime

import polars as pl
import pytest

from passage.rules import dates, expressions
from passage.rules.expressions import ExpressionError, ParameterValues, Scope, Timeline, Trace

D = datetime.date
TODAY = D(2026, 1, 12)
PARAMETERS = {
    "floor": ParameterValues(
        "floor", timeline=Timeline(((D(2014, 8, 1), 19), (D(2017, 10, 24), 22)))
    ),
    "max_age": ParameterValues(
        "max_age", by_key={"FR": Timeline(((D(2025, 1, 1), 35),))}, default=None
    ),
}


def scalar(source: str, as_of: datetime.date | None = TODAY, **facts: object) -> object:
    return expressions.evaluate(expressions.parse(source), Scope(facts, PARAMETERS, as_of))


def columnar(source: str, as_of: datetime.date | None = TODAY, **facts: object) -> object:
    frame = pl.DataFrame({name: [value] for name, value in facts.items()} or {"_": [0]})
    expression = expressions.to_polars(
        expressions.parse(source), PARAMETERS, pl.lit(as_of, dtype=pl.Date)
    )
    return frame.select(expression.alias("value")).item()


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("1 + 2 * 3", 7),
        ("(1 + 2) * 3", 9),
        ("-2 + 5", 3),
        ("not 1 > 2 and 2 >= 2", True),
        ("1 > 2 or 3 > 2", True),
        ('"FR" in ["FR", "BE"]', True),
        ('"US" not in ["FR", "BE"]', True),
        ('date("2024-02-29") < date("2024-03-01")', True),
        ("10 / 4", 2.5),
        ("1 / 0", None),
        ("null", None),
        ("is_null(null)", True),
        ("2_500 == 2500", True),
    ],
)
def test_operators_follow_the_usual_precedence(source: str, expected: object) -> None:
    assert scalar(source) == expected
    assert columnar(source) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("x > 1", None),
        ("x > 1 and false", False),
        ("x > 1 and true", None),
        ("x > 1 or true", True),
        ("x > 1 or false", None),
        ("not x", None),
        ("x + 1", None),
        ("x in [1, 2]", None),
        ("is_null(x)", True),
    ],
)
def test_null_follows_three_valued_logic(source: str, expected: object) -> None:
    assert scalar(source, x=None) == expected


@pytest.mark.parametrize(
    ("birth", "on", "expected"),
    [
        (D(1996, 2, 29), D(2027, 2, 28), 30),
        (D(1996, 2, 29), D(2027, 3, 1), 31),
        (D(1992, 2, 29), D(2028, 2, 29), 36),
        (D(1992, 2, 29), D(2028, 2, 28), 35),
        (D(2008, 3, 16), D(2026, 3, 15), 17),
        (D(2008, 3, 16), D(2026, 3, 16), 18),
    ],
)
def test_age_counts_completed_years_with_29_february_completing_on_1_march(
    birth: datetime.date, on: datetime.date, expected: int
) -> None:
    assert dates.age(birth, on) == expected
    assert scalar("age(b, o)", b=birth, o=on) == expected
    assert columnar("age(b, o)", b=birth, o=on) == expected


def test_five_years_before_29_february_is_28_february() -> None:
    assert dates.years_before(D(2024, 2, 29), 5) == D(2019, 2, 28)
    assert scalar("years_before(d, 5)", d=D(2024, 2, 29)) == D(2019, 2, 28)
    assert columnar("years_before(d, 5)", d=D(2024, 2, 29)) == D(2019, 2, 28)
    assert columnar("years_after(d, 4)", d=D(2024, 2, 29)) == D(2028, 2, 29)


def test_days_between_counts_from_the_first_date_to_the_second() -> None:
    assert scalar("days_between(a, b)", a=D(2024, 1, 1), b=D(2024, 3, 1)) == 60
    assert columnar("days_between(a, b)", a=D(2024, 1, 1), b=D(2024, 3, 1)) == 60


def test_a_parameter_takes_the_value_in_effect_on_the_as_of_date() -> None:
    assert scalar("param.floor", as_of=D(2017, 10, 23)) == 19
    assert scalar("param.floor", as_of=D(2017, 10, 24)) == 22
    assert scalar("param.floor", as_of=D(2014, 7, 31)) is None
    assert columnar("param.floor", as_of=D(2017, 10, 24)) == 22


def test_an_indexed_parameter_looks_up_its_key() -> None:
    assert scalar("param.max_age[c]", c="FR") == 35
    assert scalar("param.max_age[c]", c="US") is None
    assert columnar("param.max_age[c]", c="FR") == 35


def test_the_trace_records_facts_and_parameters_with_their_effective_dates() -> None:
    trace = Trace()
    node = expressions.parse("age(b, o) <= param.max_age[c]")
    facts = {"b": D(1996, 6, 1), "o": D(2026, 1, 12), "c": "FR"}
    assert expressions.evaluate(node, Scope(facts, PARAMETERS, D(2026, 1, 12)), trace) is True
    assert trace.facts == facts
    assert trace.parameters == [
        {"name": "max_age", "key": "FR", "value": 35, "effective": D(2025, 1, 1)}
    ]


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("1 +", "unexpected 'the end'"),
        ("a $ b", "unexpected character '$' at column 3"),
        ("eval(x)", "unknown function 'eval'"),
        ("age(x)", "age() takes 2 arguments, got 1"),
        ('date("2023-02-29")', "is not a YYYY-MM-DD date"),
        ("1 < 2 < 3", "comparisons cannot be chained"),
        ("(1 + 2", "expected ')'"),
        ("__import__.os", "unexpected '.'"),
    ],
)
def test_a_malformed_expression_is_rejected_with_a_readable_message(
    source: str, message: str
) -> None:
    with pytest.raises(ExpressionError, match=None) as caught:
        expressions.parse(source)
    assert message in str(caught.value)


def test_given_takes_only_the_name_of_a_fact():
    expressions.parse("given(funds_cad)")
    with pytest.raises(ExpressionError, match="name of a fact"):
        expressions.parse("given(1)")


def test_equal_subtrees_are_one_node_within_a_table_and_only_there() -> None:
    shared: dict[tuple[object, ...], expressions.Node] = {}
    at_least = expressions.parse("age(b, o) >= 18", shared)
    at_most = expressions.parse("age(b, o) <= param.max_age[c]", shared)
    assert isinstance(at_least, expressions.Binary)
    assert isinstance(at_most, expressions.Binary)
    assert at_least.left is at_most.left
    # Without a table, nothing outlives the expression: no table grows with every parse.
    alone = expressions.parse("age(b, o) >= 18")
    assert isinstance(alone, expressions.Binary)
    assert alone.left == at_least.left
    assert alone.left is not at_least.left


def test_a_parameter_remembers_its_look_ups_by_period_and_key() -> None:
    parameter = PARAMETERS["max_age"]
    for _ in range(2):
        assert parameter.at(D(2024, 12, 31), "FR") == (None, None)
        assert parameter.at(D(2025, 1, 1), "FR") == (35, D(2025, 1, 1))
        assert parameter.at(D(2030, 6, 1), "FR") == (35, D(2025, 1, 1))
        assert parameter.at(D(2030, 6, 1), "US") == (None, None)
        assert parameter.at(None, "FR") == (None, None)
    floor = PARAMETERS["floor"]
    assert floor.at(D(2017, 10, 23)) == (19, D(2014, 8, 1))
    assert floor.at(D(2017, 10, 24)) == (22, D(2017, 10, 24))
