"""The one message catalog: every user-facing text, French source with English translation.

Texts are data: one TOML file per feature in ``rtes_bot/catalog/sections/``, each line mapping a
dotted key to ``[french, english]`` (``"charte.signee" = ["…", "…"]``). They are merged here into
one catalog; ``t(key, locale, **params)`` formats a message with ``str.format`` parameters.
Unknown locales fall back to French (the source language).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from importlib import resources
from typing import Final

from rtes_bot.catalog import sections as _sections

FRENCH: Final = "fr"
ENGLISH: Final = "en"
LANGUAGES: Final = (FRENCH, ENGLISH)


def _sections_messages() -> list[tuple[str, dict[str, list[str]]]]:
    """(section name, its messages) for every section file, in name order."""
    found: list[tuple[str, dict[str, list[str]]]] = []
    for entry in resources.files(_sections).iterdir():
        if entry.name.endswith(".toml"):
            found.append((entry.name[: -len(".toml")], tomllib.loads(entry.read_text("utf-8"))))
    return sorted(found, key=lambda item: item[0])


def _load() -> dict[str, dict[str, str]]:
    catalog: dict[str, dict[str, str]] = {}
    for name, messages in _sections_messages():
        for key, texts in messages.items():
            if key in catalog:
                raise RuntimeError(f"catalog key {key!r} defined twice ({name})")
            if len(texts) != 2 or not all(isinstance(text, str) for text in texts):
                raise RuntimeError(f"catalog key {key!r} must be [french, english] ({name})")
            french, english = texts
            catalog[key] = {FRENCH: french, ENGLISH: english}
    return catalog


CATALOG: Final[dict[str, dict[str, str]]] = _load()


def language_of(locale: object | None) -> str:
    """Map a Discord locale (``fr``, ``en-US``, ``en-GB``…) or language code to a catalog language."""
    if locale is None:
        return FRENCH
    value = str(getattr(locale, "value", locale)).lower()
    return ENGLISH if value.startswith("en") else FRENCH


class Parts:
    """A parameter made of catalog messages, formatted in the language of the message holding
    it: a service's refusal can name only the parts that apply (« Colonnes inconnues : x. » and
    no empty « En double : — ») without knowing the reader's language."""

    def __init__(self, *parts: tuple[str, Mapping[str, object]], separator: str = " ") -> None:
        self.parts = parts
        self.separator = separator

    def __bool__(self) -> bool:
        return bool(self.parts)

    def text(self, locale: object | None) -> str:
        return self.separator.join(t(key, locale, **params) for key, params in self.parts)


def t(key: str, locale: object | None = None, /, **params: object) -> str:
    """Return the message ``key`` in the language of ``locale``, formatted with ``params``."""
    entry = CATALOG[key]
    text = entry[language_of(locale)]
    if not params:
        return text
    shown = {k: v.text(locale) if isinstance(v, Parts) else v for k, v in params.items()}
    return text.format(**shown)


def has(key: str) -> bool:
    return key in CATALOG
