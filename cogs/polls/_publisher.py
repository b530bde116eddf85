"""The poll publisher, owned by the bot (`bot.publisher`): the poll message (posting, turnout
refreshes), closing and announcing. The commands, the buttons and the scheduler all go through it.

Discord is called only after the database work is committed: a poll is created, then its message
posted (if Discord refuses, the poll is discarded again, so no poll exists without its message and
no message points at a poll that does not exist); a closed poll is announced once (`announced_at`
claimed by a conditional UPDATE), from its published ballots; the chart and the CSV are rendered
in a worker thread, off the event loop.
"""

from __future__ import annotations

import asyncio
import io
import logging
from typing import TYPE_CHECKING, Any

import discord

from cogs.polls._views import poll_view
from cogs.proposals._forum import post_in_proposal_thread, refresh_proposal_post
from rtes_bot.bot import RtesBot
from rtes_bot.catalog import t
from rtes_bot.counting import method_of
from rtes_bot.errors import Conflict
from rtes_bot.models import Poll, PollStatus
from rtes_bot.services import access, ballots, notices, polls, publication, roll
from rtes_bot.services.publication import guild_locale
from rtes_bot.text import plain_inline
from rtes_bot.ui import NO_MENTIONS, channel_of, clip

if TYPE_CHECKING:
    from cogs.polls._scheduler import Scheduler

log = logging.getLogger(__name__)

REFRESH_DELAY = 1.0  # seconds: coalesces turnout updates of the poll message
OPEN_COLOUR = discord.Colour.blurple()
CLOSED_COLOUR = discord.Colour.dark_grey()


# ------------------------------------------------------------------ rendering


def timestamp(moment: Any) -> str:
    seconds = int(moment.timestamp())
    return f"<t:{seconds}:F> (<t:{seconds}:R>)"


def method_text(poll: Poll, locale: object) -> str:
    text = method_of(poll.method).display_name(locale, irv=poll.irv)
    if poll.max_choices:
        text += " — " + t("scrutin.max-choix", locale, max=poll.max_choices)
    return text


def electorate_text(poll: Poll, field_name: str | None, locale: object) -> str:
    if poll.electorate == ballots.ELECTORATE_COLLECTIVITES:
        return t("scrutin.electorat.collectivites", locale)
    if field_name:
        return t("scrutin.electorat.domaine", locale, domaine=field_name)
    return t("scrutin.electorat.elus", locale)


def poll_embed(
    poll: Poll,
    turnout: int,
    locale: object,
    *,
    field_name: str | None = None,
    summary: str | None = None,
    numbers: roll.Figures | None = None,
) -> discord.Embed:
    closed = poll.status == PollStatus.CLOSED
    embed = discord.Embed(
        title=clip(t("scrutin.titre-court", locale, numero=poll.number), 256),
        description=clip(plain_inline(poll.question), 4096),
        colour=CLOSED_COLOUR if closed else OPEN_COLOUR,
    )
    embed.add_field(
        name=t("scrutin.champ.methode", locale), value=clip(method_text(poll, locale), 1024)
    )
    if poll.options:
        listing = "\n".join(
            f"{i}. {plain_inline(label)}" for i, label in enumerate(poll.options, start=1)
        )
        embed.add_field(
            name=t("scrutin.champ.options", locale), value=clip(listing, 1024), inline=False
        )
    embed.add_field(
        name=t("scrutin.champ.electorat", locale), value=electorate_text(poll, field_name, locale)
    )
    rules = [t("scrutin.secret" if poll.secret else "scrutin.public", locale)]
    if poll.quorum_percent:
        rules.append(t("scrutin.quorum", locale, quorum=poll.quorum_percent))
    if method_of(poll.method).accepts_majority:
        rules.append(t(f"scrutin.majorite.{poll.majority}", locale))
    rules.append(t(f"scrutin.visibilite.{poll.results_visibility}", locale))
    stepped_rule = publication.stepped_rule(poll, locale)
    if stepped_rule is not None:
        rules.append(stepped_rule)
    embed.add_field(
        name=t("scrutin.champ.regles", locale), value=clip("\n".join(rules), 1024), inline=False
    )
    closing_key = "scrutin.champ.clos" if closed else "scrutin.champ.cloture"
    moment = poll.closed_at if closed and poll.closed_at else poll.closes_at
    embed.add_field(name=t(closing_key, locale), value=timestamp(moment), inline=False)
    embed.add_field(
        name=t("scrutin.champ.participation", locale),
        value=(
            roll.turnout_line(poll, numbers, turnout, locale)
            if numbers is not None
            else publication.turnout_text(poll, turnout, locale)
        ),
    )
    if closed and summary:
        embed.add_field(
            name=t("scrutin.champ.resultat", locale), value=clip(summary, 1024), inline=False
        )
    return embed


def _files(files: list[publication.FileOut]) -> list[discord.File]:
    return [discord.File(io.BytesIO(f.data), filename=f.filename) for f in files]


def link(poll: Poll) -> str:
    if poll.channel_id is None or poll.message_id is None:
        return ""
    return f"https://discord.com/channels/{poll.guild_id}/{poll.channel_id}/{poll.message_id}"


class Publisher:
    def __init__(self, bot: RtesBot) -> None:
        self.bot = bot
        self.scheduler: Scheduler | None = None
        #: per poll, the refresh waiting to run (later votes join it)
        self._refreshing: dict[int, asyncio.Task[None]] = {}
        #: every refresh task not finished yet, waiting or already editing the message
        self._tasks: set[asyncio.Task[None]] = set()
        #: per open poll, the embed its message was last given (an unchanged one is not re-sent:
        #: a stepped poll's message is edited only when a step is reached)
        self._shown: dict[int, Any] = {}

    async def close(self) -> None:
        """Cancel the refreshes and wait for them to end (none outlives the event loop)."""
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._refreshing.clear()
        self._tasks.clear()

    def wake_scheduler(self) -> None:
        if self.scheduler is not None:
            self.scheduler.wake()

    async def channel(self, channel_id: int) -> Any:
        return await channel_of(self.bot, channel_id)

    # ------------------------------------------------------------------ opening

    async def post_poll_message(self, poll: Poll) -> tuple[int, int]:
        """Post the message of a poll just created (after its commit) in its home: its
        proposal's thread, else its field's forum, else #scrutins (also where a post that could
        not go to the thread or forum lands); never where the command was typed. Returns
        (channel id, message id)."""
        async with self.bot.db.read() as session:
            locale = await guild_locale(session, poll.guild_id)
            proposal = await polls.proposal_of(session, poll)
            field = await polls.field_of(session, poll)
            settings = await access.guild_settings(session, poll.guild_id)
            numbers = await roll.figures(session, poll)
        name = field.name if field is not None else None
        embed = poll_embed(poll, 0, locale, field_name=name, numbers=numbers)
        assert poll.id is not None
        self._shown[poll.id] = embed.to_dict()
        view = poll_view(poll, locale)
        if proposal is not None and proposal.thread_id is not None:
            try:
                thread = await self.channel(proposal.thread_id)
                message = await thread.send(embed=embed, view=view, allowed_mentions=NO_MENTIONS)
                return message.channel.id, message.id
            except discord.HTTPException:
                log.warning("Could not post poll %s in its proposal's thread", poll.id)
        if field is not None and field.forum_channel_id is not None:
            try:
                channel = await self.channel(field.forum_channel_id)
                title = clip(
                    t("scrutin.titre", locale, numero=poll.number, question=poll.question), 100
                )
                if isinstance(channel, discord.ForumChannel):
                    created = await channel.create_thread(
                        name=title, embed=embed, view=view, allowed_mentions=NO_MENTIONS
                    )
                    return created.thread.id, created.message.id
                if isinstance(channel, discord.TextChannel):
                    message = await channel.send(
                        embed=embed, view=view, allowed_mentions=NO_MENTIONS
                    )
                    return channel.id, message.id
            except discord.HTTPException:
                log.warning("Could not post poll %s in its field's forum", poll.id)
        if settings is None or settings.polls_channel_id is None:
            raise Conflict("scrutin.non-installe")
        try:
            channel = await self.channel(settings.polls_channel_id)
            message = await channel.send(embed=embed, view=view, allowed_mentions=NO_MENTIONS)
        except (discord.NotFound, discord.Forbidden):
            raise Conflict("scrutin.salon-scrutins-absent") from None
        return message.channel.id, message.id

    async def publish_opening(self, poll: Poll) -> Poll:
        """Post the message of a poll just opened and record where it is; if Discord refuses,
        discard the poll (nothing then points at it) and let the error through."""
        assert poll.id is not None
        try:
            channel_id, message_id = await self.post_poll_message(poll)
        except BaseException:
            async with self.bot.db.begin() as session:
                await polls.discard(session, poll.id)
            self.bot.ballot_box.forget(poll.id)
            raise
        async with self.bot.db.begin() as session:
            await polls.set_message(session, poll.id, channel_id, message_id)
        poll.channel_id, poll.message_id = channel_id, message_id
        if poll.proposal_id is not None:
            await self.refresh_proposal(poll.proposal_id)
        self.wake_scheduler()
        return poll

    async def announce_opening(self, poll_id: int) -> bool:
        """Announce an opening once (whoever claims `opening_notified_at`): a short post with a
        link in #scrutins when the poll lives elsewhere (its message is the announcement when it
        lives there), and a DM queued for each voter (sent by the scheduler)."""
        async with self.bot.db.begin() as session:
            if not await notices.claim_opening(session, poll_id, self.bot.clock.now()):
                return False
        async with self.bot.db.read() as session:
            poll = await polls.get(session, poll_id)
            settings = await access.guild_settings(session, poll.guild_id)
            locale = await guild_locale(session, poll.guild_id)
        home = settings.polls_channel_id if settings is not None else None
        if home is not None and poll.channel_id != home:
            text = t(
                "scrutin.annonce",
                locale,
                numero=poll.number,
                question=plain_inline(poll.question),
                cloture=timestamp(poll.closes_at),
                lien=link(poll),
            )
            try:
                channel = await self.channel(home)
                await channel.send(clip(text, 2000), allowed_mentions=NO_MENTIONS)
            except discord.HTTPException:
                log.warning("Could not announce the opening of poll %s in #scrutins", poll_id)
        async with self.bot.db.begin() as session:
            polls.audit_poll(session, poll, None, "scrutin.annonce-ouverture")
        return True

    # ------------------------------------------------------------------ refreshing

    def request_refresh(self, poll_id: int) -> None:
        """Update the poll message's turnout soon (several votes → one edit)."""
        if poll_id in self._refreshing:
            return

        async def later() -> None:
            try:
                await asyncio.sleep(REFRESH_DELAY)
                self._pending_done(poll_id)
                await self.refresh_poll_message(poll_id)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.warning("Turnout refresh of poll %s failed", poll_id, exc_info=True)
            finally:
                self._pending_done(poll_id)

        task = asyncio.create_task(later())
        self._refreshing[poll_id] = task
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _pending_done(self, poll_id: int) -> None:
        """This task no longer stands for the poll's next refresh (a later request starts its
        own; a refresh already requested after this one started is left alone)."""
        if self._refreshing.get(poll_id) is asyncio.current_task():
            del self._refreshing[poll_id]

    async def refresh_poll_message(self, poll_id: int, *, summary: str | None = None) -> None:
        """Re-render the poll message (turnout; after closing: outcome, buttons disabled)."""
        async with self.bot.db.read() as session:
            poll = await polls.get(session, poll_id)
            if poll.channel_id is None or poll.message_id is None:
                return
            locale = await guild_locale(session, poll.guild_id)
            # A stepped poll shows its last snapshot's turnout, never the current count.
            box = self.bot.ballot_box
            shown = await publication.shown_turnouts(session, [poll], box.master_key, box.steps_of)
            field = await polls.field_of(session, poll)
            if poll.status == PollStatus.CLOSED and summary is None:
                summary = await publication.closed_summary(session, poll, locale)
            numbers = await roll.figures(session, poll)
        turnout = shown[poll_id]
        name = field.name if field is not None else None
        embed = poll_embed(poll, turnout, locale, field_name=name, summary=summary, numbers=numbers)
        rendered = embed.to_dict()
        channel = self.bot.get_partial_messageable(poll.channel_id)
        message = channel.get_partial_message(poll.message_id)
        if poll.status == PollStatus.OPEN:
            if poll_id not in self._shown:
                # After a restart: what the message shows now (once), so that the first vote
                # after it does not re-send the same figures.
                self._shown[poll_id] = await self._current_embed(message)
            if self._shown[poll_id] == rendered:
                return  # nothing moved: no edit (its time would tell that someone voted)
        try:
            await message.edit(embed=embed, view=poll_view(poll, locale))
        except discord.HTTPException:
            log.warning("Could not update the message of poll %s", poll_id, exc_info=True)
            return
        if poll.status == PollStatus.OPEN:
            self._shown[poll_id] = rendered
        else:
            self._shown.pop(poll_id, None)

    @staticmethod
    async def _current_embed(message: discord.PartialMessage) -> Any:
        """The embed a poll message shows, as `Embed.to_dict` gives it (None if unreadable)."""
        try:
            fetched = await message.fetch()
        except discord.HTTPException:
            return None
        return fetched.embeds[0].to_dict() if fetched.embeds else None

    async def refresh_proposal(self, proposal_id: int) -> None:
        try:
            await refresh_proposal_post(self.bot, proposal_id)
        except Exception:
            log.warning("Could not refresh proposal %s", proposal_id, exc_info=True)

    # ------------------------------------------------------------------ closing and announcing

    async def close_and_publish(
        self, poll_id: int, *, actor_id: int | None, reason: str, only_if_due: bool = False
    ) -> bool:
        """Close the poll if nobody else did (True for the one that closed it), then announce."""
        closed = await self.bot.ballot_box.close_poll(
            poll_id, actor_id=actor_id, reason=reason, only_if_due=only_if_due
        )
        if closed is not None:
            log.info("Poll %s closed (%s)", poll_id, reason)
            if closed.poll.proposal_id is not None:
                await self.refresh_proposal(closed.poll.proposal_id)
        await self.announce(poll_id, final=closed.final if closed is not None else None)
        self.wake_scheduler()
        return closed is not None

    async def announce(self, poll_id: int, *, final: ballots.FinalBallots | None = None) -> bool:
        """Publish a closed poll's result once (whoever claims `announced_at` publishes)."""
        async with self.bot.db.begin() as session:
            if not await polls.claim_announcement(session, poll_id, self.bot.clock.now()):
                return False
        try:
            async with self.bot.db.read() as session:
                poll = await polls.get(session, poll_id)
                locale = await guild_locale(session, poll.guild_id)
                settings = await access.guild_settings(session, poll.guild_id)
                material = await publication.gather(session, poll, final)
            built = await asyncio.to_thread(publication.render, material, locale)
        except Exception:
            async with self.bot.db.begin() as session:
                await polls.release_announcement(session, poll_id)
            raise
        await self.refresh_poll_message(poll_id, summary=built.summary)
        if poll.proposal_id is not None:
            try:
                await post_in_proposal_thread(
                    self.bot, poll.proposal_id, built.content, files=_files(built.files)
                )
            except Exception:
                log.warning("Could not post poll %s result in its proposal thread", poll_id)
        if settings is not None and settings.registry_channel_id is not None:
            try:
                channel = await self.channel(settings.registry_channel_id)
                await channel.send(
                    built.content, files=_files(built.files), allowed_mentions=NO_MENTIONS
                )
            except discord.HTTPException:
                log.warning("Could not post poll %s result in the registry", poll_id)
        else:
            log.warning(
                "Guild %s has no registry channel: poll %s result not posted there",
                poll.guild_id,
                poll_id,
            )
        async with self.bot.db.begin() as session:
            polls.audit_poll(session, poll, None, "scrutin.publie")
        log.info("Poll %s announced", poll_id)
        return True


def publisher_of(bot: RtesBot) -> Publisher:
    publisher = bot.publisher
    if not isinstance(publisher, Publisher):
        raise RuntimeError("the polls extension is not loaded")
    return publisher
