"""Relief by rule: an obligation due while a part of Passage it needs was down moves to
the end of the first full business day that part was up, in the most favourable time
zone; nothing else moves; the answer depends only on the register as it is."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from passage.calendar import BusinessCalendar, Obligation, Outage, Thresholds, relieve
from passage.calendar.business_days import end_of_day
from passage.calendar.relief import qualifies
from passage.calendar.thresholds import thresholds_on

CANADA = BusinessCalendar()
RULE = Thresholds()
TORONTO = "America/Toronto"
VANCOUVER = "America/Vancouver"
UPLOADS = frozenset({"uploads"})


def at(text: str, zone: str = TORONTO) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(zone))


def due_on(day: str, *zones: str, components: frozenset[str] = UPLOADS) -> Obligation:
    return Obligation(
        due=end_of_day(date.fromisoformat(day), zones[0] if zones else TORONTO),
        components=components,
        zones=zones or (TORONTO,),
    )


def outage(start: str, end: str, *, reference: str = "OUT-2027-0001", **fields) -> Outage:
    return Outage(
        reference=reference,
        components=fields.pop("components", UPLOADS),
        start=at(start),
        end=at(end),
        **fields,
    )


def test_an_obligation_due_during_an_outage_moves_to_the_end_of_the_next_full_day():
    # Due Wednesday 3 March 2027; uploads down that afternoon for two hours.
    relief = relieve(
        due_on("2027-03-03"), [outage("2027-03-03 14:00", "2027-03-03 16:00")], RULE, CANADA
    )

    assert relief.moved
    assert relief.due == end_of_day(date(2027, 3, 4), TORONTO)
    assert relief.outages == ("OUT-2027-0001",)


def test_an_outage_across_midnight_and_a_weekend_moves_past_both():
    # Due Friday 5 March; down from Friday 22:00 to Monday 02:00.
    relief = relieve(
        due_on("2027-03-05"), [outage("2027-03-05 22:00", "2027-03-08 02:00")], RULE, CANADA
    )

    assert relief.due == end_of_day(date(2027, 3, 9), TORONTO)  # Monday was not whole


def test_back_to_back_outages_move_past_the_last_one():
    outages = [
        outage("2027-03-03 10:00", "2027-03-03 11:00", reference="OUT-2027-0001"),
        outage("2027-03-04 10:00", "2027-03-04 12:00", reference="OUT-2027-0002"),
    ]

    relief = relieve(due_on("2027-03-03"), outages, RULE, CANADA)

    assert relief.due == end_of_day(date(2027, 3, 5), TORONTO)
    assert relief.outages == ("OUT-2027-0001",)


def test_a_short_incident_or_a_component_not_needed_moves_nothing():
    blip = outage("2027-03-03 14:00", "2027-03-03 14:10")
    payments = outage("2027-03-03 08:00", "2027-03-03 18:00", components=frozenset({"payments"}))

    relief = relieve(due_on("2027-03-03"), [blip, payments], RULE, CANADA)

    assert not relief.moved
    assert relief.due == end_of_day(date(2027, 3, 3), TORONTO)


def test_planned_maintenance_announced_in_time_moves_nothing_and_announced_late_does():
    in_time = outage(
        "2027-03-03 01:00", "2027-03-03 03:00", planned=True, announced_at=at("2027-02-24 09:00")
    )
    late = outage(
        "2027-03-03 01:00", "2027-03-03 03:00", planned=True, announced_at=at("2027-03-02 09:00")
    )

    assert not relieve(due_on("2027-03-03"), [in_time], RULE, CANADA).moved
    assert relieve(due_on("2027-03-03"), [late], RULE, CANADA).moved
    assert not qualifies(in_time, RULE, CANADA)


def test_the_most_favourable_time_zone_applies():
    # Down 22:00 to 23:30 Toronto time on 3 March: after the day in Toronto has nearly
    # ended, but 19:00 to 20:30 in Vancouver, where the client is.
    obligation = due_on("2027-03-03", TORONTO, VANCOUVER)

    relief = relieve(obligation, [outage("2027-03-03 22:00", "2027-03-03 23:30")], RULE, CANADA)

    assert relief.due == end_of_day(date(2027, 3, 4), VANCOUVER)


def test_a_daylight_saving_switch_keeps_the_end_of_the_day():
    # Clocks go forward on Sunday 14 March 2027; due Friday 12 March, down that day.
    relief = relieve(
        due_on("2027-03-12"), [outage("2027-03-12 09:00", "2027-03-12 11:00")], RULE, CANADA
    )

    assert relief.due == end_of_day(date(2027, 3, 15), TORONTO)
    assert relief.due.utcoffset() == timedelta(hours=-4)


def test_a_statutory_limit_is_flagged_and_never_moved():
    fixed = Obligation(
        due=end_of_day(date(2027, 3, 3), TORONTO),
        components=UPLOADS,
        zones=(TORONTO,),
        movable=False,
    )

    relief = relieve(fixed, [outage("2027-03-03 14:00", "2027-03-03 16:00")], RULE, CANADA)

    assert relief.flagged
    assert not relief.moved
    assert relief.due == fixed.due


def test_the_grace_adds_business_days_after_the_first_full_day():
    relief = relieve(
        due_on("2027-03-05"),
        [outage("2027-03-05 10:00", "2027-03-05 12:00")],
        Thresholds(grace_business_days=1),
        CANADA,
    )

    assert relief.due == end_of_day(date(2027, 3, 9), TORONTO)  # Monday, then Tuesday


def test_the_thresholds_in_force_are_dated_data_with_their_source():
    entry = thresholds_on(date(2027, 3, 3))

    assert entry.thresholds == Thresholds()
    assert entry.source_href.startswith("https://")


# --- Properties over random registers -----------------------------------------------------

START = datetime(2027, 1, 4, tzinfo=UTC)
COMPONENTS = ("sign-in", "uploads", "tracker", "messages")

outages = st.builds(
    lambda index, offset, minutes, components, planned, notice: Outage(
        reference=f"OUT-2027-{index:04d}",
        components=frozenset(components),
        start=START + timedelta(minutes=offset),
        end=START + timedelta(minutes=offset + minutes),
        planned=planned,
        announced_at=START + timedelta(minutes=offset) - timedelta(days=notice),
    ),
    st.integers(1, 9999),
    st.integers(0, 60 * 24 * 60),
    st.integers(1, 60 * 72),
    st.sets(st.sampled_from(COMPONENTS), min_size=1),
    st.booleans(),
    st.integers(0, 10),
)
obligations = st.builds(
    lambda day, components, zones: Obligation(
        due=end_of_day(START.date() + timedelta(days=day), zones[0]),
        components=frozenset(components),
        zones=tuple(zones),
    ),
    st.integers(0, 60),
    st.sets(st.sampled_from(COMPONENTS), min_size=1),
    st.lists(st.sampled_from((TORONTO, VANCOUVER, "America/Halifax")), min_size=1, max_size=2),
)


@settings(max_examples=150, deadline=None)
@given(obligation=obligations, register=st.lists(outages, max_size=6))
def test_relief_never_moves_a_deadline_earlier_and_computing_again_changes_nothing(
    obligation, register
):
    relief = relieve(obligation, register, RULE, CANADA)

    assert relief.due >= obligation.due
    assert relieve(obligation, register, RULE, CANADA) == relief
    if relief.moved:
        assert relief.outages  # a moved deadline names the outages that moved it


@settings(max_examples=150, deadline=None)
@given(obligation=obligations, register=st.lists(outages, max_size=6), extra=outages)
def test_removing_an_outage_gives_back_the_deadline_without_it(obligation, register, extra):
    without = relieve(obligation, register, RULE, CANADA)

    with_it = relieve(obligation, [*register, extra], RULE, CANADA)

    assert with_it.due >= without.due  # adding an outage never takes relief away
    assert relieve(obligation, register, RULE, CANADA) == without


@settings(max_examples=150, deadline=None)
@given(obligation=obligations, register=st.lists(outages, max_size=6))
def test_an_obligation_no_qualifying_outage_touches_does_not_move(obligation, register):
    relevant = [
        o for o in register if o.components & obligation.components and qualifies(o, RULE, CANADA)
    ]
    touched = any(
        o.start <= obligation.due < o.end
        or any(
            o.overlaps(
                datetime.combine(day, datetime.min.time(), tzinfo=ZoneInfo(zone)),
                datetime.combine(
                    day + timedelta(days=1), datetime.min.time(), tzinfo=ZoneInfo(zone)
                ),
            )
            for zone in obligation.zones
            for day in [obligation.due.astimezone(ZoneInfo(zone)).date()]
        )
        for o in relevant
    )

    relief = relieve(obligation, register, RULE, CANADA)

    assert relief.moved == touched
    if relief.moved:
        # Moved to the last second of a business day in one of its zones.
        local = [relief.due.astimezone(ZoneInfo(zone)) for zone in obligation.zones]
        assert any(
            t.time() == datetime.max.time().replace(microsecond=0)
            and CANADA.is_business_day(t.date())
            for t in local
        )


@settings(max_examples=150, deadline=None)
@given(obligation=obligations, register=st.lists(outages, max_size=6))
def test_every_obligation_a_qualifying_outage_touches_moves_later(obligation, register):
    relief = relieve(obligation, register, RULE, CANADA)

    if relief.outages:
        assert relief.moved
        assert relief.due > obligation.due
