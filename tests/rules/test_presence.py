"""Day counting for the residency obligation and citizenship, by hand and against Polars."""

import datetime
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from passage.rules import dates, evaluate, evaluate_batch, expressions, load_ruleset
from passage.rules.expressions import Scope
from passage.rules.presence import days_present, days_present_before, tax_years_in_window
from tests.rules.builders import PROGRAMS

D = datetime.date


def absence(start: str, end: str, credited: bool = False) -> dict[str, Any]:
    return {"from": D.fromisoformat(start), "to": D.fromisoformat(end), "credited": credited}


def period(start: str, end: str) -> dict[str, Any]:
    return {"from": D.fromisoformat(start), "to": D.fromisoformat(end)}


WINDOW = (D(2021, 6, 15), D(2026, 6, 14))  # examined 2026-06-15


def test_a_window_without_absences_counts_every_day_including_29_february() -> None:
    assert days_present([], *WINDOW) == 1826


def test_departure_and_return_days_are_days_present() -> None:
    assert days_present([absence("2022-01-10", "2025-01-11")], *WINDOW) == 1826 - 1096
    assert days_present([absence("2025-03-10", "2025-03-11")], *WINDOW) == 1826
    assert days_present([absence("2025-07-01", "2025-07-01")], *WINDOW) == 1826


def test_a_credited_absence_removes_nothing() -> None:
    assert days_present([absence("2022-01-10", "2025-01-12", credited=True)], *WINDOW) == 1826


def test_absences_are_clipped_to_the_window() -> None:
    # Left before the window, back inside: the days 2021-06-15 to 2024-06-14 go.
    assert days_present([absence("2019-03-01", "2024-06-15")], *WINDOW) == 730
    # Back on the window's first day: nothing goes.
    assert days_present([absence("2019-01-01", "2021-06-15")], *WINDOW) == 1826
    # Back on the examination day: the last day of the window is absent.
    assert days_present([absence("2023-06-14", "2026-06-15")], *WINDOW) == 730


def test_overlapping_absences_are_not_counted_twice() -> None:
    absences = [absence("2022-01-01", "2022-01-11"), absence("2022-01-05", "2022-01-21")]
    # Strictly between: 2022-01-02 to 01-10 and 01-06 to 01-20, together 01-02 to 01-20.
    assert days_present(absences, *WINDOW) == 1826 - 19


def test_an_empty_window_has_no_days() -> None:
    assert days_present([], D(2026, 1, 2), D(2026, 1, 1)) == 0


def test_the_window_opens_on_28_february_five_years_before_29_february() -> None:
    start = dates.years_before(D(2028, 2, 29), 5)
    assert start == D(2023, 2, 28)
    assert days_present([absence("2023-03-01", "2026-03-03")], start, D(2028, 2, 28)) == 730


def test_pre_pr_days_stop_the_day_before_becoming_a_permanent_resident() -> None:
    periods = [period("2022-11-01", "2024-03-31")]
    window = (D(2021, 6, 1), D(2026, 5, 31))
    # 2022-11-01 to 2023-12-31: 426 days; 2024-01-01 is the first PR day.
    assert days_present_before(periods, [], *window, D(2024, 1, 1)) == 426


def test_pre_pr_days_outside_the_window_or_abroad_do_not_count() -> None:
    periods = [period("2019-09-01", "2021-12-31"), period("2021-10-01", "2021-10-31")]
    window = (D(2021, 6, 1), D(2026, 5, 31))
    assert days_present_before(periods, [], *window, D(2023, 1, 1)) == 214
    # An absence inside the period removes the days strictly between.
    absences = [absence("2021-07-01", "2021-07-11")]
    assert days_present_before(periods, absences, *window, D(2023, 1, 1)) == 214 - 9


def test_a_taxation_year_counts_when_one_day_of_it_is_in_the_window() -> None:
    assert tax_years_in_window([2020, 2021, 2022], D(2020, 12, 31), D(2025, 12, 30)) == 3
    assert tax_years_in_window([2020, 2021, 2022], D(2021, 1, 1), D(2025, 12, 31)) == 2
    assert tax_years_in_window([2021, 2021, 2022], D(2021, 1, 1), D(2025, 12, 31)) == 2


PR_CARD = load_ruleset(PROGRAMS / "pr-card" / "rules.yaml")
CITIZENSHIP = load_ruleset(PROGRAMS / "citizenship" / "rules.yaml")


@pytest.mark.parametrize(
    ("absences", "error"),
    [
        ([{"from": "2023-02-29", "to": "2023-03-10", "credited": False}], "absences[0].from"),
        (
            [
                {"from": "2023-02-01", "to": "2023-03-10", "credited": False},
                {"from": "2023-04-01", "to": "2023-04-31", "credited": False},
            ],
            "absences[1].to is not a date",
        ),
        ([{"from": "2023-04-01", "to": "2023-03-01", "credited": False}], "absences[0].to"),
        ([{"from": "2023-04-01", "to": "2023-04-02", "credited": "yes"}], "absences[0].credited"),
        ([{"from": "2023-04-01", "to": "2023-04-02"}], "absences[0].credited"),
        ([{"from": "2023-04-01", "to": "2023-04-02", "credited": False, "x": 1}], "absences[0]"),
        (["2023-04-01"], "absences[0]"),
        ({"from": "2023-04-01"}, "absences"),
    ],
)
def test_a_malformed_period_makes_the_line_invalid(absences: Any, error: str) -> None:
    line = {
        "id": "a",
        "program": "pr-card",
        "facts": {
            "became_pr_on": "2015-04-20",
            "examination_date": "2026-06-15",
            "absences": absences,
        },
    }
    assert error in evaluate(PR_CARD, line)["error"]


@pytest.mark.parametrize("years", [[2021, "2022"], [2021, True], "2021", [2021.0]])
def test_a_malformed_year_makes_the_line_invalid(years: Any) -> None:
    line = {"id": "a", "program": "citizenship", "facts": {"tax_years_filed": years}}
    assert "tax_years_filed" in evaluate(CITIZENSHIP, line)["error"]


def test_citizenship_absences_take_no_credited_flag() -> None:
    line = {
        "id": "a",
        "program": "citizenship",
        "facts": {"absences": [{"from": "2023-04-01", "to": "2023-04-02", "credited": True}]},
    }
    assert "absences[0]" in evaluate(CITIZENSHIP, line)["error"]


# ---------------------------------------------------------------------------
# Scalar and columnar agree on random periods

day = st.dates(min_value=D(2018, 1, 1), max_value=D(2029, 12, 31))


@st.composite
def periods(draw: st.DrawFn, credited: bool) -> dict[str, Any]:
    start = draw(day)
    end = start + datetime.timedelta(days=draw(st.integers(0, 800)))
    item: dict[str, Any] = {"from": start, "to": end}
    if credited:
        item["credited"] = draw(st.booleans())
    return item


def maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), strategy)


rows = st.fixed_dictionaries(
    {
        "absences": maybe(st.lists(periods(credited=True), max_size=5)),
        "stays": maybe(st.lists(periods(credited=False), max_size=4)),
        "years": maybe(st.lists(st.integers(2015, 2031), max_size=6)),
        "on": maybe(st.one_of(day, st.sampled_from([D(2024, 2, 29), D(2028, 2, 29)]))),
        "since": maybe(day),
    }
)
SCHEMA: dict[str, pl.DataType] = {
    "absences": pl.List(pl.Struct({"from": pl.Date(), "to": pl.Date(), "credited": pl.Boolean()})),
    "stays": pl.List(pl.Struct({"from": pl.Date(), "to": pl.Date()})),
    "years": pl.List(pl.Int64()),
    "on": pl.Date(),
    "since": pl.Date(),
}
LIST_EXPRESSIONS = [
    "days_present(absences, years_before(on, 5), days_before(on, 1))",
    "days_present(absences, max(years_before(on, 5), since), days_before(on, 1))",
    "days_present_before(stays, absences, years_before(on, 5), days_before(on, 1), since)",
    "floor(days_present(absences, since, days_after(since, 400))"
    " + min(days_present_before(stays, absences, years_before(on, 5), on, since) * 0.5, 365))",
    "if(years_after(since, 5) <= on, days_present(absences, years_before(on, 5), on),"
    " days_between(on, years_after(since, 5)))",
    "tax_years_in_window(years, years_before(on, 5), days_before(on, 1)) >= 3",
    "thousands(days_present(absences, since, on))",
]


@settings(max_examples=150, deadline=None)
@given(st.lists(rows, min_size=1, max_size=12), st.sampled_from(LIST_EXPRESSIONS))
def test_list_functions_agree_between_scalar_and_columnar(
    batch: list[dict[str, Any]], source: str
) -> None:
    node = expressions.parse(source)
    frame = pl.DataFrame({name: [row[name] for row in batch] for name in SCHEMA}, schema=SCHEMA)
    columnar = frame.select(expressions.to_polars(node, {}, pl.col("on"))).to_series().to_list()
    scalar = [expressions.evaluate(node, Scope(row, {}, row["on"])) for row in batch]
    assert columnar == scalar


def brute_force_days_present(
    absences: list[dict[str, Any]], start: datetime.date, end: datetime.date
) -> int:
    absent = {
        a["from"] + datetime.timedelta(days=offset)
        for a in absences
        if not a["credited"]
        for offset in range(1, (a["to"] - a["from"]).days)
    }
    count, current = 0, start
    while current <= end:
        count += current not in absent
        current += datetime.timedelta(days=1)
    return count


@settings(max_examples=150, deadline=None)
@given(st.lists(periods(credited=True), max_size=5), day, st.integers(-3, 2000))
def test_days_present_matches_a_day_by_day_count(
    absences: list[dict[str, Any]], start: datetime.date, length: int
) -> None:
    end = start + datetime.timedelta(days=length)
    assert days_present(absences, start, end) == brute_force_days_present(absences, start, end)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(periods(credited=False), max_size=4),
    st.lists(periods(credited=True), max_size=4),
    day,
    st.integers(-3, 2000),
    day,
)
def test_pre_pr_days_match_a_day_by_day_count(
    stays: list[dict[str, Any]],
    absences: list[dict[str, Any]],
    start: datetime.date,
    length: int,
    since: datetime.date,
) -> None:
    end = start + datetime.timedelta(days=length)
    inside = {
        s["from"] + datetime.timedelta(days=offset)
        for s in stays
        for offset in range((s["to"] - s["from"]).days + 1)
    }
    expected = sum(
        1
        for offset in range(length + 1)
        if (current := start + datetime.timedelta(days=offset)) < since
        and current in inside
        and brute_force_days_present(absences, current, current) == 1
    )
    assert days_present_before(stays, absences, start, end, since) == expected


def iso(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return strategy.map(
        lambda items: [
            {k: v.isoformat() if isinstance(v, D) else v for k, v in item.items()} for item in items
        ]
    )


citizenship_lines = st.builds(
    lambda facts: {"id": "c", "program": "citizenship", "facts": facts},
    st.fixed_dictionaries(
        {},
        optional={
            "date_of_birth": maybe(day.map(lambda d: d.replace(year=d.year - 40).isoformat())),
            "signing_date": maybe(day.map(D.isoformat)),
            "became_pr_on": maybe(day.map(D.isoformat)),
            "pre_pr_periods": maybe(iso(st.lists(periods(credited=False), max_size=3))),
            "absences": maybe(iso(st.lists(periods(credited=False), max_size=3))),
            "tax_years_filed": maybe(st.lists(st.integers(2015, 2031), max_size=5)),
            "language_clb": maybe(st.integers(1, 10)),
            "knowledge_test_passed": maybe(st.booleans()),
        },
    ),
)
pr_card_lines = st.builds(
    lambda facts: {"id": "p", "program": "pr-card", "facts": facts},
    st.fixed_dictionaries(
        {},
        optional={
            "became_pr_on": maybe(day.map(D.isoformat)),
            "examination_date": maybe(day.map(D.isoformat)),
            "absences": maybe(iso(st.lists(periods(credited=True), max_size=4))),
        },
    ),
)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(citizenship_lines, min_size=1, max_size=10),
    st.lists(pr_card_lines, min_size=1, max_size=10),
)
def test_pr_card_and_citizenship_result_lines_agree(
    citizenship: list[dict[str, Any]], pr_card: list[dict[str, Any]]
) -> None:
    assert evaluate_batch(CITIZENSHIP, citizenship) == [
        evaluate(CITIZENSHIP, line) for line in citizenship
    ]
    assert evaluate_batch(PR_CARD, pr_card) == [evaluate(PR_CARD, line) for line in pr_card]
