"""The language of a message nobody asked for (a DM): the recipient's, where Discord told it.

Discord tells a user's locale only in their interactions (``interaction.locale``); a member joining,
or a message sent later (a validation, a reminder), carries none. So the bot remembers the locale
of each user's last interaction, in memory (:class:`LocaleMemory`, ``bot.locales``), and
:func:`recipient_locale` picks, in order: that locale; the one stored with the person's
registration (``Elu.locale``, their wizard's interaction); the network's default
(``GuildSettings.locale``); the bot's (``DEFAULT_LOCALE``).

The memory is per process and lost at a restart (then the stored locale serves): no schema change.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any


class LocaleMemory:
    """The locale of each user's last interaction with this process (bounded: the oldest go)."""

    def __init__(self, limit: int = 100_000) -> None:
        self._seen: OrderedDict[int, str] = OrderedDict()
        self._limit = limit

    def remember(self, user_id: int, locale: object) -> None:
        value = str(getattr(locale, "value", locale) or "")
        if not value:
            return
        self._seen[user_id] = value
        self._seen.move_to_end(user_id)
        while len(self._seen) > self._limit:
            self._seen.popitem(last=False)

    def get(self, user_id: int) -> str | None:
        return self._seen.get(user_id)


def recipient_locale(
    bot: Any, user_id: int | None, *, stored: str | None = None, default: str | None = None
) -> str:
    """The language to write to ``user_id`` in: their last interaction's locale, else ``stored``
    (``Elu.locale``), else ``default`` (``GuildSettings.locale``), else the bot's default."""
    memory: LocaleMemory | None = getattr(bot, "locales", None)
    seen = memory.get(user_id) if memory is not None and user_id else None
    return seen or stored or default or bot.settings.default_locale
