"""Text helpers with no I/O: accent/case folding for matching, and safe echoing of user text."""

from __future__ import annotations

import re
import unicodedata

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


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


def clip(text: str, limit: int) -> str:
    """Cut a text to a limit (Discord's, or a quote's), marking the cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def shorten(text: str, limit: int = 80) -> str:
    """User input echoed in a message: short enough for Discord's limits."""
    return clip(text, limit)
