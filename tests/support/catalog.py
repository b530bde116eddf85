"""Assertions on what the bot says, through the catalog: tests check behaviour by message key, not
by French wording (a few tests pin the exact French of key messages on purpose, and say so)."""

from __future__ import annotations

import re
import string
from typing import Any

from rtes_bot.catalog import CATALOG, t

_PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def said(key: str, locale: str = "fr", /, **params: Any) -> str:
    """What the bot says for catalog ``key`` (in French, the bot's default, unless told)."""
    return t(key, locale, **params)


def fixed_part(key: str, locale: str = "fr") -> str:
    """The longest literal piece of a catalog message: found whatever its parameters were."""
    pieces = [literal for literal, *_ in string.Formatter().parse(t(key, locale))]
    return max(pieces, key=len).strip()


def says(text: str, key: str, /, **params: Any) -> bool:
    """Whether ``text`` holds the catalog message ``key`` (French): exactly as formatted with
    ``params`` when given, else every fixed part of it (between placeholders)."""
    if params:
        return t(key, "fr", **params) in text
    parts = _PLACEHOLDER.split(CATALOG[key]["fr"])
    return all(part.strip() in text for part in parts if part.strip())


def opening(key: str, locale: str = "fr") -> str:
    """The literal start of a catalog message, up to its first parameter: what a text built
    from ``key`` starts with whatever its parameters (« **Option retenue : »)."""
    literal, *_ = next(iter(string.Formatter().parse(t(key, locale))))
    return literal
