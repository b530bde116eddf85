"""The poll scheduler: closes polls on time, announces them, and sends the 24-hour reminders.

One background task (started in `cog_load`, cancelled in `cog_unload`) sleeps until the next due
time read from the database (a closing, or a reminder at `closes_at - 24 h`), or until woken by
:meth:`Scheduler.wake` (a poll opened or closed). Everything is re-read from the database at each
turn, so a restart reschedules by itself: polls whose time passed while the bot was down are closed
at once — exactly once, by the conditional update in `polls.close` — and announced once
(`announced_at`). Reminders are idempotent through `ReminderSent` rows, inserted (and committed)
before each DM: a reminder may be lost by a crash at the wrong moment, but is never sent twice.
With several processes on Discord shards (one database), each handles the polls of the guilds it
serves; the claims above make the work happen once even if two processes ever looked at one poll.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from typing import Any

import discord
from discord.ext import commands
from sqlalchemy.exc import IntegrityError

from cogs.polls._publisher import Publisher, link
from rtes_bot.bot import RtesBot
from rtes_bot.catalog import t
from rtes_bot.models import Elu, Poll
from rtes_bot.services import polls
from rtes_bot.text import plain_inline
from rtes_bot.ui import NO_MENTIONS

log = logging.getLogger(__name__)

MAX_SLEEP = 60.0  # seconds: even with nothing due, look again (cheap; covers clock changes)
RETRY_AFTER_ERROR = 30.0


class Scheduler(commands.Cog):
    def __init__(self, bot: RtesBot, publisher: Publisher) -> None:
        self.bot = bot
        self.publisher = publisher
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._started = 0  # turns started
        self._completed = 0  # index of the last completed turn
        self._progress = asyncio.Condition()

    async def cog_load(self) -> None:
        self._task = asyncio.create_task(self._run(), name="rtes-poll-scheduler")

    async def cog_unload(self) -> None:
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except (asyncio.CancelledError, Exception):
                pass

    def wake(self) -> None:
        """Look at the database again now (a poll was opened or closed, or time moved)."""
        self._wake.set()

    async def wait_turn(self, timeout: float = 10) -> None:  # noqa: ASYNC109
        """Wake the scheduler and wait until one full turn has run after this call."""
        started = self._started
        self.wake()
        async with asyncio.timeout(timeout), self._progress:
            await self._progress.wait_for(lambda: self._completed > started)

    async def _run(self) -> None:
        await self.bot.wait_until_ready()
        while not self.bot.is_closed():
            self._wake.clear()
            self._started += 1
            index = self._started
            try:
                next_at = await self.turn()
                delay = MAX_SLEEP
                if next_at is not None:
                    delay = min(
                        MAX_SLEEP, max(0.0, (next_at - self.bot.clock.now()).total_seconds())
                    )
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("Poll scheduler turn failed")
                delay = RETRY_AFTER_ERROR
            async with self._progress:
                self._completed = index
                self._progress.notify_all()
            if delay > 0:
                try:
                    await asyncio.wait_for(self._wake.wait(), timeout=delay)
                except TimeoutError:
                    pass

    async def turn(self) -> datetime | None:
        """Close what is due, announce what is closed, remind; return the next due time."""
        now = self.bot.clock.now()
        shards = self.bot.settings.shards  # sharded: only the polls of the guilds served here
        async with self.bot.db.read() as session:
            due = await polls.due_for_closing(session, now, shards)
            pending = await polls.pending_announcements(session, shards)
        for poll_id in due:
            try:
                await self.publisher.close_and_publish(
                    poll_id, actor_id=None, reason="echeance", only_if_due=True
                )
            except Exception:
                log.exception("Closing poll %s failed", poll_id)
        for poll_id in pending:
            if poll_id in due:
                continue
            try:
                await self.publisher.announce(poll_id)
            except Exception:
                log.exception("Announcing poll %s failed", poll_id)
        async with self.bot.db.read() as session:
            to_remind = await polls.due_for_reminder(session, self.bot.clock.now(), shards)
        for poll in to_remind:
            try:
                await self.remind(poll)
            except Exception:
                log.exception("Reminders of poll %s failed", poll.id)
        async with self.bot.db.read() as session:
            return await polls.next_wakeup(session, shards)

    # ------------------------------------------------------------------ reminders

    async def remind(self, poll: Poll) -> int:
        """DM every voter of the list who has not voted (nor given a proxy, nor opted out), once;
        returns DMs sent."""
        assert poll.id is not None
        async with self.bot.db.read() as session:
            targets = await polls.reminder_recipients(session, poll.id)
        sent = 0
        for elu in targets:
            assert elu.id is not None
            try:
                async with self.bot.db.begin() as session:
                    polls.record_reminder(session, poll.id, elu.id, self.bot.clock.now())
            except IntegrityError:
                continue  # another process reminded this person
            if await self._dm(elu, poll):
                sent += 1
        async with self.bot.db.begin() as session:
            await polls.mark_reminded(session, poll.id, self.bot.clock.now())
            polls.audit_poll(session, poll, None, "scrutin.rappel", envois=sent)
        log.info("Poll %s: %d reminder(s) sent", poll.id, sent)
        return sent

    async def _dm(self, elu: Elu, poll: Poll) -> bool:
        assert elu.discord_user_id is not None
        text = t(
            "scrutin.rappel",
            elu.locale,
            numero=poll.number,
            question=plain_inline(poll.question),
            cloture=f"<t:{int(poll.closes_at.timestamp())}:R>",
            lien=link(poll),
        )
        try:
            user: Any = self.bot.get_user(elu.discord_user_id) or await self.bot.fetch_user(
                elu.discord_user_id
            )
            await user.send(text, allowed_mentions=NO_MENTIONS)
            return True
        except discord.HTTPException:
            log.info("Could not DM a reminder for poll %s (DMs closed?)", poll.id)
            return False
