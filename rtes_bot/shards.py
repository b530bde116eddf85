"""Which guilds a process serves when the bot is split into Discord shards.

Discord routes each guild to one shard: ``(guild_id >> 22) % shard_count`` (DMs go to shard 0).
A process started with ``SHARD_COUNT``/``SHARD_IDS`` receives the events of its shards' guilds
only, so its scheduled work (closing polls, reminders) is limited to those guilds too: together,
the processes cover every guild once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, literal_column, true

#: the bits of a snowflake below its timestamp
TIMESTAMP_SHIFT = 22


def shard_of(guild_id: int, shard_count: int) -> int:
    """The shard that receives a guild's events (Discord's rule)."""
    return (guild_id >> TIMESTAMP_SHIFT) % shard_count


@dataclass(frozen=True)
class Shards:
    """The shards one process serves: ``ids`` among ``count``."""

    count: int
    ids: tuple[int, ...]

    @property
    def complete(self) -> bool:
        """True when this process serves every shard (every guild)."""
        return set(self.ids) == set(range(self.count))

    def serves(self, guild_id: int) -> bool:
        return shard_of(guild_id, self.count) in self.ids

    def where(self, guild_column: Any) -> ColumnElement[bool]:
        """SQL condition on a guild id column: the guild is served here (same rule, in SQL;
        ``>>`` and ``%`` exist in both SQLite and PostgreSQL)."""
        if self.complete:
            return true()
        shard = guild_column.op(">>")(literal_column(str(TIMESTAMP_SHIFT))).op("%")(
            literal_column(str(self.count))
        )
        return shard.in_([literal_column(str(i)) for i in self.ids])  # type: ignore[no-any-return]
