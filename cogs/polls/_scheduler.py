"""The poll scheduler: closes polls on time, announces them, announces openings, and sends the
24-hour reminders.

One background task (started in `cog_load`, cancelled in `cog_unload`) sleeps until the next due
time read from the database (a closing, or a reminder at `closes_at - 24 h`), or until woken by
:meth:`Scheduler.wake` (a poll opened or closed). Everything is re-read from the database at each
turn, so a restart reschedules by itself: polls whose time passed while the bot was down are closed
at once — exactly once, by the conditional update in `polls.close` — and announced once
(`announced_at`). An opening is announced once (`opening_notified_at`), and a poll's reminders
queued once (`reminder_sent_at`); the DMs are then delivered from that queue (`services.notices`),
one DM per person and kind listing all their polls, each notice claimed (and committed) before its
DM: one may be lost by a crash at the wrong moment, but none is sent twice.
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

from cogs.polls._publisher import Publisher, link, timestamp
from rtes_bot.bot import RtesBot
from rtes_bot.catalog import t
from rtes_bot.locales import recipient_locale
from rtes_bot.models import Elu, Poll
from rtes_bot.services import notices, polls
from rtes_bot.text import plain_inline
from rtes_bot.ui import NO_MENTIONS, clip

log = logging.getLogger(__name__)

DM_LIMIT = 2000

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
        self._stopping = False

    async def cog_load(self) -> None:
        self._task = asyncio.create_task(self._run(), name="rtes-poll-scheduler")

    async def cog_unload(self) -> None:
        # The flag too: a cancellation arriving as the sleep ends is swallowed by
        # `asyncio.wait_for` (Python 3.11), and the loop would sleep again.
        self._stopping = True
        self._wake.set()
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
        while not self.bot.is_closed() and not self._stopping:
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
        """Close what is due, announce what is closed and what opened, remind; return the next
        due time."""
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
            opened = await notices.pending_openings(session, shards)
        for poll_id in opened:
            try:
                await self.publisher.announce_opening(poll_id)
            except Exception:
                log.exception("Announcing the opening of poll %s failed", poll_id)
        async with self.bot.db.read() as session:
            to_remind = await polls.due_for_reminder(session, self.bot.clock.now(), shards)
        for poll in to_remind:
            try:
                await self.remind(poll)
            except Exception:
                log.exception("Reminders of poll %s failed", poll.id)
        try:
            await self.deliver()
        except Exception:
            log.exception("Delivering poll notices failed")
        async with self.bot.db.read() as session:
            return await polls.next_wakeup(session, shards)

    # ------------------------------------------------------------------ reminders and notices

    async def remind(self, poll: Poll) -> int:
        """Queue the poll's reminder for every voter of the list who has not voted (nor given a
        proxy, nor opted out), once; returns how many were queued (0 if already done)."""
        assert poll.id is not None
        async with self.bot.db.begin() as session:
            queued = await notices.claim_reminder(session, poll.id, self.bot.clock.now())
            if queued is None:
                return 0
            polls.audit_poll(session, poll, None, "scrutin.rappel", envois=queued)
        log.info("Poll %s: %d reminder(s) queued", poll.id, queued)
        return queued

    async def deliver(self) -> int:
        """Send the queued notices: one DM per person and kind; returns DMs sent."""
        async with self.bot.db.begin() as session:
            await notices.drop_stale(session)
        async with self.bot.db.read() as session:
            batches = await notices.pending_batches(session, self.bot.settings.shards)
        sent = 0
        for batch in batches:
            async with self.bot.db.begin() as session:
                won = await notices.claim_batch(session, batch, self.bot.clock.now())
            if not won:
                continue  # another process took them
            async with self.bot.db.read() as session:
                elu = await session.get(Elu, batch.elu_id)
                if elu is None or elu.discord_user_id is None or elu.reminders_opt_out:
                    continue
                if batch.kind == notices.REMINDER:
                    listed = await notices.awaiting_vote(session, batch.elu_id, elu.guild_id)
                else:
                    listed = await notices.polls_by_id(session, won)
            # Elu.locale is always set (registration): the network's default is never needed.
            locale = recipient_locale(self.bot, elu.discord_user_id, stored=elu.locale)
            if listed and await self._dm(elu, notice_text(batch.kind, listed, locale)):
                sent += 1
        return sent

    async def _dm(self, elu: Elu, text: str) -> bool:
        assert elu.discord_user_id is not None
        try:
            user: Any = self.bot.get_user(elu.discord_user_id) or await self.bot.fetch_user(
                elu.discord_user_id
            )
            await user.send(text, allowed_mentions=NO_MENTIONS)
            return True
        except discord.HTTPException:
            log.info("Could not DM a poll notice to élu %s (DMs closed?)", elu.id)
            return False


def notice_text(kind: str, listed: list[Poll], locale: object) -> str:
    """One DM: the opening of these polls, or the reminder listing every poll still waiting for
    the person's vote (by closing time), each with its link and closing time."""
    if kind == notices.OPENING:
        title = (
            t("scrutin.annonce.dm.titre", locale)
            if len(listed) == 1
            else t("scrutin.annonce.dm.titre-plusieurs", locale, nombre=len(listed))
        )
    else:
        title = t("scrutin.rappel.titre", locale, nombre=len(listed))
    footer = t("scrutin.notice.pied", locale)
    lines: list[str] = []
    budget = DM_LIMIT - len(title) - len(footer) - 80
    for index, poll in enumerate(listed):
        line = t(
            "scrutin.notice.ligne",
            locale,
            numero=poll.number,
            question=clip(plain_inline(poll.question), 120),
            cloture=timestamp(poll.closes_at),
            lien=link(poll),
        )
        if len(line) + 1 > budget:
            lines.append(t("scrutin.rappel.suite", locale, nombre=len(listed) - index))
            break
        budget -= len(line) + 1
        lines.append(line)
    return "\n".join([title, *lines, footer])
