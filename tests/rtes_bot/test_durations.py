"""`duree`: lengths and French dates in the network's time zone (Europe/Paris by default) → aware
UTC, with precise refusals (pure, no I/O)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from rtes_bot.catalog import t
from rtes_bot.durations import parse_closing, parse_duration
from rtes_bot.errors import InvalidInput

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)  # 10:30 in Paris (winter time, UTC+1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30m", timedelta(minutes=30)),
        ("48h", timedelta(hours=48)),
        ("7j", timedelta(days=7)),
        ("2j12h", timedelta(days=2, hours=12)),
        ("1h30", timedelta(hours=1, minutes=30)),
        ("1 semaine", timedelta(weeks=1)),
        ("2 jours et 6 heures", timedelta(days=2, hours=6)),
        ("90 MIN", timedelta(minutes=90)),
    ],
)
def test_lengths_are_read(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected
    assert parse_closing(text, NOW) == NOW + expected


@pytest.mark.parametrize(
    ("text", "paris"),
    [
        ("15/12/2026 18:00", datetime(2026, 12, 15, 18, 0)),
        ("15/12/2026", datetime(2026, 12, 15, 23, 59)),  # a date alone: end of that day
        ("15/12 18h", datetime(2026, 12, 15, 18, 0)),
        ("le 15 décembre 2026 à 18h", datetime(2026, 12, 15, 18, 0)),
        ("15 décembre 18h30", datetime(2026, 12, 15, 18, 30)),
        ("2026-07-01 09:15", datetime(2026, 7, 1, 9, 15)),
        ("1/03 12:00", datetime(2027, 3, 1, 12, 0)),  # no year, already past this year: next year
    ],
)
def test_french_dates_are_paris_time(text: str, paris: datetime) -> None:
    closing = parse_closing(text, NOW)
    assert closing.tzinfo is not None
    assert closing.astimezone(PARIS).replace(tzinfo=None) == paris


def test_summer_and_winter_offsets_are_both_right() -> None:
    assert parse_closing("01/07/2026 18:00", NOW) == datetime(2026, 7, 1, 16, 0, tzinfo=UTC)
    assert parse_closing("15/12/2026 18:00", NOW) == datetime(2026, 12, 15, 17, 0, tzinfo=UTC)


def test_spring_forward_hour_does_not_exist_and_is_refused() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_closing("29/03/2026 02:30", NOW)
    assert caught.value.key == "duree.heure-inexistante"
    assert "02:30" in t(caught.value.key, "fr", **caught.value.params)


def test_ambiguous_autumn_hour_is_its_first_occurrence() -> None:
    # 25/10/2026 02:30 happens twice in Paris; the first one is still summer time (UTC+2).
    assert parse_closing("25/10/2026 02:30", NOW) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("01/01/2026 10:00", "duree.passee"),
        ("4m", "duree.trop-courte"),
        ("0h", "duree.trop-courte"),
        ("400j", "duree.trop-longue"),
        ("15/12/2030", "duree.trop-longue"),
        ("demain", "duree.illisible"),
        ("15/12/2026 25:00", "duree.illisible"),
        ("", "duree.illisible"),
        ("31/02/2027", "duree.date-invalide"),
    ],
)
def test_refusals_carry_a_key_and_remind_the_formats(text: str, key: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_closing(text, NOW)
    assert caught.value.key == key
    message = t(key, "fr", **caught.value.params)
    if key != "duree.heure-inexistante":
        assert "30m" in message and "15/12/2026 18:00" in message
    assert "{" not in message


def test_naive_now_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        parse_closing("1h", datetime(2026, 1, 1))


def test_dates_are_read_and_shown_in_the_configured_time_zone() -> None:
    """`TIMEZONE` other than Europe/Paris: the wall clock, its gaps and the refusal's date follow it."""
    montreal = ZoneInfo("America/Montreal")  # UTC-5 in winter, UTC-4 in summer
    assert parse_closing("15/12/2026 18:00", NOW, montreal) == datetime(
        2026, 12, 15, 23, 0, tzinfo=UTC
    )
    assert parse_closing("29/03/2026 02:30", NOW, montreal) == datetime(
        2026, 3, 29, 6, 30, tzinfo=UTC
    )  # no gap there in Montreal (clocks went forward on 8 March)
    with pytest.raises(InvalidInput) as gap:
        parse_closing("14/03/2027 02:30", NOW, montreal)
    assert gap.value.key == "duree.heure-inexistante"
    with pytest.raises(InvalidInput) as past:
        parse_closing("10/03/2026 00:00", NOW, montreal)
    assert past.value.key == "duree.passee"
    assert past.value.params["quand"] == "10/03/2026 00:00"
