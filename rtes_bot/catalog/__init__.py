"""The one message catalog: every user-facing text, French source with English translation.

Texts live in per-feature section modules (``rtes_bot.catalog.sections.*``), each defining
``MESSAGES: dict[str, tuple[str, str]]`` mapping a dotted key to ``(french, english)``.
They are merged here into one catalog; ``t(key, locale, **params)`` formats a message with
``str.format`` parameters. Unknown locales fall back to French (the source language).
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Final

from rtes_bot.catalog import sections as _sections

FRENCH: Final = "fr"
ENGLISH: Final = "en"
LANGUAGES: Final = (FRENCH, ENGLISH)


def _load() -> dict[str, dict[str, str]]:
    catalog: dict[str, dict[str, str]] = {}
    for info in sorted(pkgutil.iter_modules(_sections.__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{_sections.__name__}.{info.name}")
        for key, (french, english) in module.MESSAGES.items():
            if key in catalog:
                raise RuntimeError(f"catalog key {key!r} defined twice ({info.name})")
            catalog[key] = {FRENCH: french, ENGLISH: english}
    return catalog


CATALOG: Final[dict[str, dict[str, str]]] = _load()


def language_of(locale: object | None) -> str:
    """Map a Discord locale (``fr``, ``en-US``, ``en-GB``…) or language code to a catalog language."""
    if locale is None:
        return FRENCH
    value = str(getattr(locale, "value", locale)).lower()
    return ENGLISH if value.startswith("en") else FRENCH


def t(key: str, locale: object | None = None, /, **params: object) -> str:
    """Return the message ``key`` in the language of ``locale``, formatted with ``params``."""
    entry = CATALOG[key]
    text = entry[language_of(locale)]
    return text.format(**params) if params else text


def has(key: str) -> bool:
    return key in CATALOG
