"""The assistant's intents: what a question may be about. Light: importing it loads nothing."""

from __future__ import annotations

INTENTS = (
    "charter",
    "article",
    "decision",
    "proposal",
    "poll",
    "contact",
    "howto",
    "about",
    "social",
    "out_of_scope",
)
