"""Reading a poll's `duree`: a length (`30m`, `48h`, `7j`, `2j12h`, `1 semaine`) or a French date
(`15/12/2026 18:00`, `15/12/2026`, `15/12 18h`, `le 15 décembre 2026 à 18h`) in the network's time
zone (``zone``: the ``TIMEZONE`` setting, Europe/Paris by default).

Pure: no I/O; `now` and `zone` are given by the caller (the bot's clock and settings). Returns an
aware UTC datetime.

Decisions, stated once:
- a date without a time means the end of that day, 23:59 local time (« jusqu'au 15/12 »);
- a date without a year means its next occurrence (this year, or next year if already past);
- a local time that does not exist (the spring-forward hour, e.g. 29/03/2026 02:30) is refused
  with a message naming the change of time; an ambiguous local time (the repeated autumn hour,
  e.g. 25/10/2026 02:30) is read as its first occurrence (summer time, the earlier instant),
  which the confirmation shows as a Discord timestamp;
- limits: at least 5 minutes ahead, at most one year (366 days) ahead.
Errors are `InvalidInput` with a catalog key (`duree.*`); each message repeats the accepted formats.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from rtes_bot.clock import DEFAULT_ZONE
from rtes_bot.errors import InvalidInput
from rtes_bot.text import fold

MIN_DURATION = timedelta(minutes=5)
MAX_DURATION = timedelta(days=366)
END_OF_DAY = time(23, 59)

_UNITS: dict[str, timedelta] = {}
for _names, _unit in (
    (("m", "min", "mn", "minute", "minutes"), timedelta(minutes=1)),
    (("h", "heure", "heures", "hour", "hours"), timedelta(hours=1)),
    (("j", "jour", "jours", "d", "day", "days"), timedelta(days=1)),
    (("s", "sem", "semaine", "semaines", "w", "week", "weeks"), timedelta(weeks=1)),
):
    for _name in _names:
        _UNITS[_name] = _unit

_LENGTH_PART = re.compile(r"(\d{1,4})\s*([a-z]+)")
_LENGTH = re.compile(r"^(?:\d{1,4}\s*[a-z]+\s*(?:et\s+)?)+(?:\d{1,2})?$")

MONTHS = {
    "janvier": 1,
    "janv": 1,
    "fevrier": 2,
    "fevr": 2,
    "fev": 2,
    "mars": 3,
    "avril": 4,
    "avr": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "juil": 7,
    "aout": 8,
    "septembre": 9,
    "sept": 9,
    "octobre": 10,
    "oct": 10,
    "novembre": 11,
    "nov": 11,
    "decembre": 12,
    "dec": 12,
}

_TIME = r"(?:(?:a|at|,)\s*)?(?P<hour>\d{1,2})\s*(?:h|:)\s*(?P<minute>\d{2})?"
_NUMERIC_DATE = re.compile(
    r"^(?:le\s+)?(?P<day>\d{1,2})[/.-](?P<month>\d{1,2})(?:[/.-](?P<year>\d{2}|\d{4}))?"
    rf"(?:\s+{_TIME})?$"
)
_ISO_DATE = re.compile(
    r"^(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})"
    r"(?:[t\s]+(?P<hour>\d{1,2})(?::|h)(?P<minute>\d{2})?)?$"
)
_WORD_DATE = re.compile(
    r"^(?:le\s+)?(?:(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\s+)?"
    r"(?P<day>\d{1,2})(?:er)?\s+(?P<month>[a-z]+)\.?(?:\s+(?P<year>\d{4}))?"
    rf"(?:\s+{_TIME})?$"
)


def parse_duration(text: str) -> timedelta | None:
    """`30m`, `48h`, `7j`, `2j12h`, `1h30`, `1 semaine`, `2 jours et 6 heures` → timedelta; else None."""
    value = fold(text).replace(",", " ")
    if not value or not _LENGTH.match(value):
        return None
    total = timedelta(0)
    position = 0
    last_unit: timedelta | None = None
    for match in _LENGTH_PART.finditer(value):
        between = value[position : match.start()].strip()
        if between not in ("", "et"):
            return None
        unit = _UNITS.get(match.group(2))
        if unit is None:
            return None
        total += int(match.group(1)) * unit
        last_unit = unit
        position = match.end()
    rest = value[position:].strip()
    if rest:
        # `1h30`: trailing minutes after hours only.
        if last_unit != timedelta(hours=1) or not rest.isdigit() or int(rest) >= 60:
            return None
        total += timedelta(minutes=int(rest))
    return total


def _local_to_utc(day: date, at: time, zone: tzinfo) -> datetime:
    """A wall-clock time in ``zone`` → UTC, refusing the non-existent spring-forward hour."""
    naive = datetime.combine(day, at)
    first = naive.replace(tzinfo=zone, fold=0)
    # A non-existent local time does not survive a round trip through UTC.
    back = first.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
    if back != naive:
        raise InvalidInput(
            "duree.heure-inexistante",
            date=day.strftime("%d/%m/%Y"),
            heure=at.strftime("%H:%M"),
        )
    # Ambiguous (autumn) times: fold=0 is the first occurrence (summer time), chosen on purpose.
    return first.astimezone(UTC)


class _Unreadable(ValueError):
    pass


def _parse_time(hour: str | None, minute: str | None) -> time | None:
    if hour is None:
        return None
    h, m = int(hour), int(minute or 0)
    if not (0 <= h <= 23 and 0 <= m <= 59):
        raise _Unreadable
    return time(h, m)


def _build_date(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise InvalidInput("duree.date-invalide", jour=day, mois=month, annee=year) from None


def parse_date(text: str, now: datetime, zone: tzinfo = DEFAULT_ZONE) -> datetime | None:
    """A French (or ISO) date with optional time, in ``zone`` → aware UTC; None if not a date."""
    value = fold(text).replace("à", "a")
    match = _NUMERIC_DATE.match(value) or _ISO_DATE.match(value)
    month: int | None
    if match is not None:
        month = int(match.group("month"))
    else:
        match = _WORD_DATE.match(value)
        if match is None:
            return None
        month = MONTHS.get(match.group("month").rstrip("."))
        if month is None:
            return None
    day = int(match.group("day"))
    at = _parse_time(match.group("hour"), match.group("minute")) or END_OF_DAY
    year_text = match.group("year")
    local_now = now.astimezone(zone)
    if year_text:
        year = int(year_text)
        if year < 100:
            year += 2000
        return _local_to_utc(_build_date(year, month, day), at, zone)
    candidate = _local_to_utc(_build_date(local_now.year, month, day), at, zone)
    if candidate <= now:
        candidate = _local_to_utc(_build_date(local_now.year + 1, month, day), at, zone)
    return candidate


def parse_closing(text: str, now: datetime, zone: tzinfo = DEFAULT_ZONE) -> datetime:
    """The closing time meant by `text` (a length from `now`, or a date read in ``zone``), checked
    against the limits."""
    if now.tzinfo is None:
        raise ValueError("now must be aware")
    given = (text or "").strip()
    if not given:
        raise InvalidInput("duree.illisible", saisie=given)
    length = parse_duration(given)
    if length is not None:
        closes_at = now + min(length, MAX_DURATION + MIN_DURATION)  # no datetime overflow
    else:
        try:
            parsed = parse_date(given, now, zone)
        except _Unreadable:
            parsed = None
        if parsed is None:
            raise InvalidInput("duree.illisible", saisie=given)
        closes_at = parsed
        if closes_at <= now:
            raise InvalidInput(
                "duree.passee", quand=closes_at.astimezone(zone).strftime("%d/%m/%Y %H:%M")
            )
    if closes_at - now < MIN_DURATION:
        raise InvalidInput("duree.trop-courte")
    if closes_at - now > MAX_DURATION:
        raise InvalidInput("duree.trop-longue")
    return closes_at.astimezone(UTC).replace(microsecond=0)
