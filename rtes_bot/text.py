"""Text helpers with no I/O: accent/case folding for matching, and safe echoing of user text."""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

import phonenumbers

T = TypeVar("T")

_INVISIBLE = re.compile(
    r"[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]"
)
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lower-case, accent-free, single-spaced form of a text, for comparisons (« Évry » → « evry »)."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    stripped = stripped.replace("œ", "oe").replace("Œ", "oe").replace("æ", "ae").replace("’", "'")
    return _SPACES.sub(" ", stripped.casefold()).strip()


def clean(text: str) -> str:
    """User input as stored: NFC, invisible/control characters removed, spaces trimmed."""
    text = unicodedata.normalize("NFC", _INVISIBLE.sub("", text))
    return text.strip()


def clean_line(text: str) -> str:
    """A one-line field (name, title): `clean` and inner whitespace collapsed."""
    return _SPACES.sub(" ", clean(text))


def display_phone(value: str | None) -> str:
    """A stored (E.164) number as people write it, the one phone format of every message: French
    numbers in the national format (« 04 78 03 67 67 »), others in the spaced international one
    (« +32 2 123 45 67 »); a value that is not a number is shown as stored."""
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, "FR")
    except phonenumbers.NumberParseException:
        return value
    fmt = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if number.country_code == 33
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, fmt)


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


def clip(text: str, limit: int) -> str:
    """Cut a text to a limit (Discord's, or a quote's), marking the cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def echo(text: str, limit: int) -> str:
    """User input quoted back in a refusal: stray spaces trimmed, inner runs of spaces collapsed
    (line breaks kept), clipped to ``limit`` (« «  TB » » reads « « TB » »)."""
    lines = [_SPACES.sub(" ", line).strip() for line in clean(text).splitlines()]
    return clip("\n".join(line for line in lines if line), limit)


def shorten(text: str, limit: int = 80) -> str:
    """User input echoed in a message: short enough for Discord's limits."""
    return clip(text, limit)


# ------------------------------------------------------------------ CSV files (formula injection)

#: A cell starting with one of these is read as a formula by spreadsheet software (CSV injection:
#: ``=HYPERLINK(…)``, ``+Vélo``, ``-10 % budget``, ``@SUM(A1:A9)``, a tab or a carriage return).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: The neutralising prefix (OWASP): spreadsheet software shows the cell as text, without the quote.
CSV_QUOTE = "'"


def csv_cell(value: str | int | None) -> str:
    """A CSV cell that no spreadsheet turns into a formula.

    Text starting with a formula character is prefixed with a single quote; so is text that
    already starts with a quote, so that `csv_value` undoes exactly what this did (a label that
    legitimately starts with a quote comes back unchanged). Integers the bot writes itself
    (counts, weights, ids) stay plain numbers; ``None`` is an empty cell.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        value = str(value)
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if text.startswith(FORMULA_START) or text.startswith(CSV_QUOTE):
        return CSV_QUOTE + text
    return text


def csv_value(cell: str) -> str:
    """The text a `csv_cell` was written from: one leading quote removed, if any."""
    return cell[len(CSV_QUOTE) :] if cell.startswith(CSV_QUOTE) else cell


def _csv_field(cell: str) -> str:
    if any(char in cell for char in ',;"\r\n'):
        return '"' + cell.replace('"', '""') + '"'
    return cell


def csv_text(
    header: Sequence[str], rows: Iterable[Sequence[str | int | None]], *, bom: bool = False
) -> str:
    """The one CSV writer of the bot (RFC 4180, ``,`` between cells, ``\\n`` line ends): every
    header and cell through `csv_cell`; a cell holding ``,``, ``;``, a quote or a line break is
    quoted, so that a reader guessing the delimiter from the unquoted part of the first line
    (``,`` or ``;``) always finds ``,``. `bom` adds a UTF-8 byte-order mark (spreadsheet
    software then shows accents)."""
    # A row of one empty cell is written « "" »: an empty line would read as no row at all.
    lines = [",".join(_csv_field(csv_cell(c)) for c in row) or '""' for row in (header, *rows)]
    return ("\ufeff" if bom else "") + "".join(line + "\n" for line in lines)


_QUOTED = re.compile(r'"[^"]*"')


def csv_delimiter(first_line: str) -> str:
    """``;`` or ``,``: the one found more often outside quoted cells of a file's first line."""
    bare = _QUOTED.sub("", first_line)
    return ";" if bare.count(";") > bare.count(",") else ","


# ------------------------------------------------------------------ official posts (markdown)

# Discord markdown that would let user text pass for the bot's own: masked links « [x](url) »,
# mentions and ``<url>`` (angle brackets), formatting, spoilers, code. Escaped with a backslash,
# which Discord does not show: the reader sees the text as typed, inert.
_INLINE_MARKUP = re.compile(r"([\\\[\]<>*_~`|#])")
# At the start of a line: a heading (« # », « ## », « ### »), subtext (« -# »), a block quote, a
# list item (« - », « + », « * », « 1. »).
_LINE_MARKER = re.compile(r"^([ \t]*)(#{1,3}(?=[ \t])|-#|>{1,3}|[-+*](?=[ \t])|\d+(?=[.)][ \t]))")
_BLOCK_MARKUP = re.compile(r"([\\\[\]<>])")
_URL = re.compile(r"://")


def _escape_line_marker(line: str) -> str:
    def escape(match: re.Match[str]) -> str:
        marker = match.group(2)
        if marker[0].isdigit():
            return match.group(1) + marker + "\\"
        return match.group(1) + "\\" + marker

    return _LINE_MARKER.sub(escape, line, count=1)


def plain_inline(text: str) -> str:
    """A name, a label or a title shown inside one of the bot's official posts, made inert.

    Nothing in it can become a link, a masked link, a heading, a quote, a list, a mention or
    formatting: line breaks become spaces, Discord's markdown characters are escaped with a
    backslash (Discord shows the text as typed), a leading list or heading marker is escaped,
    and ``://`` is broken so no address becomes clickable (``https\\://evil.example``).
    """
    text = _SPACES.sub(" ", _INVISIBLE.sub("", text)).strip()
    text = _URL.sub(r"\\://", _INLINE_MARKUP.sub(r"\\\1", text))
    return _escape_line_marker(text)


def plain_block(text: str) -> str:
    """Free text (a proposal's body, a reason) shown inside an official post: line breaks and
    emphasis kept, but no masked link, mention, heading, subtext or block quote (escaped, shown
    as typed). A bare address stays visible as what it is."""
    lines = _INVISIBLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).split("\n")
    return "\n".join(_escape_line_marker(_BLOCK_MARKUP.sub(r"\\\1", line)) for line in lines)


def plain_labels(value: T, labels: Iterable[str]) -> T:
    """A copy of `value` (dataclasses, lists, tuples, dicts, nested) in which every string that is
    one of `labels` — as a value or as a key — is replaced by its `plain_inline` form: a counted
    result rendered with option labels a member typed. Anything else is kept as it is."""
    shown = {label: plain_inline(label) for label in labels}
    shown = {label: safe for label, safe in shown.items() if safe != label}
    return _relabel(value, shown) if shown else value


def _relabel(value: Any, shown: dict[str, str]) -> Any:
    if isinstance(value, str):
        return shown.get(value, value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {
            f.name: _relabel(getattr(value, f.name), shown)
            for f in dataclasses.fields(value)
            if f.init
        }
        return dataclasses.replace(value, **changes)
    if isinstance(value, dict):
        return {_relabel(k, shown): _relabel(v, shown) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return type(value)(_relabel(item, shown) for item in value)
    return value
