"""`/charte lire | signer | signataires | versions`, `/admin charte-publier`, and the persistent
« Signer » button sent by DM when a new version asks signatories to sign again."""

from __future__ import annotations

import logging
from typing import Any

import discord
from discord import app_commands

from cogs._pages import send_pages, split_pages
from cogs.admin._group import admin_group_of
from cogs.onboarding._moderation import refresh_card
from rtes_bot import charter_text
from rtes_bot.bot import RtesBot
from rtes_bot.catalog import t
from rtes_bot.charter_text import Part
from rtes_bot.errors import InvalidInput, NotAllowed
from rtes_bot.locales import recipient_locale
from rtes_bot.models import ProposalStatus
from rtes_bot.services import access, charter, proposals
from rtes_bot.services.access import Person
from rtes_bot.ui import (
    BotCog,
    EntityButton,
    L,
    actor_of,
    autocomplete,
    bot_of,
    command_group,
    options,
    reply,
    reply_key,
)

log = logging.getLogger("rtes_bot.charter")

ALL = "tout"
CHARTER_ONLY = "charte"
ACCEPTED_EXTENSIONS = (".md", ".markdown", ".txt")


# --------------------------------------------------------------------------- rendering


def _part_block(part: Part, locale: object) -> str:
    title = f"**{part.title}**"
    if not part.is_charter:
        title += " " + t("charte.contexte", locale)
    body = "\n".join(line.strip() for line in part.body.splitlines())
    return f"{title}\n{body}"


def reading_pages(text: str, version: int, wanted: str | None, locale: object) -> list[str]:
    """The pages of `/charte lire`: everything, the charter only, or one part.

    Everything starts with the charter itself; the context (the network's history) follows as
    its own part, under its own heading. A heading is never alone at the bottom of a page: it
    is one block with the text it announces (``split_pages`` keeps a block's first lines
    together)."""
    all_parts = charter_text.parts(text)
    if wanted in (None, "", ALL):
        chosen = [p for p in all_parts if p.is_charter] + [p for p in all_parts if not p.is_charter]
    elif wanted == CHARTER_ONLY:
        chosen = [p for p in all_parts if p.is_charter]
    else:
        chosen = [charter_text.find_part(text, wanted)]
    blocks = [t("charte.lire.titre", locale, version=version)]
    announced = False
    for part in chosen:
        block = _part_block(part, locale)
        if not part.is_charter and not announced and len(chosen) > 1:
            block = t("charte.lire.contexte", locale) + "\n" + block
            announced = True
        blocks.append(block)
    blocks.append(t("charte.lire.pied", locale))
    return split_pages(blocks)


def part_options(text: str, locale: object) -> list[tuple[str, str]]:
    """What `/charte lire partie` offers, as (name, value): everything, the charter only, each part."""
    return [
        (t("charte.partie.tout", locale), ALL),
        (t("charte.partie.charte", locale), CHARTER_ONLY),
    ] + [
        (part.title + ("" if part.is_charter else " " + t("charte.contexte", locale)), part.slug)
        for part in charter_text.parts(text)
    ]


# --------------------------------------------------------------------------- signing


async def sign_for(interaction: discord.Interaction[Any], guild_id: int | None = None) -> None:
    """Sign the current version as the person who clicked or typed."""
    bot = bot_of(interaction)
    actor = actor_of(interaction, guild_id)
    async with bot.db.begin() as session:
        person = await access.resolve(session, actor)
        if person.elu is None or person.elu.id is None:
            raise NotAllowed("acces.adhesion-requise")
        signature = await charter.sign(
            session, guild_id=actor.guild_id, elu_id=person.elu.id, actor_id=actor.user_id
        )
        version = await charter.current_version(session, actor.guild_id)
        elu_id, card_id = person.elu.id, person.elu.bureau_card_message_id
    if card_id is not None:
        # The bureau's card of the registration says whether the person signed: bring it up to date.
        try:
            await refresh_card(bot, actor.guild_id, elu_id)
        except discord.HTTPException:
            log.warning("Could not update the bureau card of a signatory", exc_info=True)
    if signature.collectivite_name:
        await reply_key(
            interaction,
            "charte.signee",
            version=version.version,
            collectivite=signature.collectivite_name,
        )
    else:
        await reply_key(interaction, "charte.signee.sans-collectivite", version=version.version)


class SignAgainButton(EntityButton):
    """« Signer la nouvelle version », sent by DM; works after a restart."""

    PREFIX = "rtes:charte-signer"
    STYLE = discord.ButtonStyle.success
    DEFAULT_LABEL = "Signer"

    @property
    def guild_id(self) -> int:
        return self.entity_id

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        await sign_for(interaction, self.guild_id)


# --------------------------------------------------------------------------- the cog


class Charter(BotCog):
    charte = command_group("charte")

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(SignAgainButton)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(SignAgainButton)

    @charte.command(name=L("cmd.charte.lire"), description=L("cmd.charte.lire.desc"))
    @options("opt.charte.lire", "partie")
    async def lire(
        self, interaction: discord.Interaction[RtesBot], partie: str | None = None
    ) -> None:
        actor = actor_of(interaction)
        async with self.bot.db.read() as session:
            version = await charter.peek_current(session, actor.guild_id)
        pages = reading_pages(version.text, version.version, partie, interaction.locale)
        await send_pages(interaction, pages)

    @lire.autocomplete("partie")
    async def _partie_autocomplete(
        self, interaction: discord.Interaction[RtesBot], current: str
    ) -> list[app_commands.Choice[str]]:
        async def load(session: Any, person: Person) -> list[tuple[str, str]]:
            version = await charter.peek_current(session, person.actor.guild_id)
            return part_options(version.text, interaction.locale)

        return await autocomplete(
            interaction,
            current,
            load=load,
            name=lambda option: option[0],
            value=lambda option: option[1],
            texts=lambda option: option,
        )

    @charte.command(name=L("cmd.charte.signer"), description=L("cmd.charte.signer.desc"))
    async def signer(self, interaction: discord.Interaction[RtesBot]) -> None:
        await sign_for(interaction)

    @charte.command(name=L("cmd.charte.signataires"), description=L("cmd.charte.signataires.desc"))
    @options("opt.charte.signataires", "version")
    async def signataires(
        self,
        interaction: discord.Interaction[RtesBot],
        version: app_commands.Range[int, 1, 100000] | None = None,
    ) -> None:
        actor = actor_of(interaction)
        locale = interaction.locale
        async with self.bot.db.begin() as session:
            await access.resolve(session, actor, Person.require_member_or_bureau)
            listing = await charter.signatories(session, actor.guild_id, version)
        blocks = [
            t(
                "charte.signataires.titre",
                locale,
                version=listing.version,
                signatures=len(listing.signatories),
                collectivites=listing.collectivites,
            )
        ]
        if not listing.signatories:
            blocks.append(t("charte.signataires.aucun", locale))
        for collectivite, people in listing.by_collectivite():
            names = [p.elu_name or t("charte.signataire-efface", locale) for p in people]
            label = collectivite or t("charte.sans-collectivite", locale)
            blocks.append(f"**{label}** — {', '.join(names)}")
        await send_pages(interaction, split_pages(blocks))

    @charte.command(name=L("cmd.charte.versions"), description=L("cmd.charte.versions.desc"))
    async def versions(self, interaction: discord.Interaction[RtesBot]) -> None:
        actor = actor_of(interaction)
        locale = interaction.locale
        zone = self.bot.settings.zone
        async with self.bot.db.begin() as session:
            summaries = await charter.versions(session, actor.guild_id)
        blocks = [t("charte.versions.titre", locale)]
        for summary in summaries:
            key = (
                "charte.versions.ligne.actuelle" if summary.is_current else "charte.versions.ligne"
            )
            blocks.append(
                t(
                    key,
                    locale,
                    version=summary.version,
                    date=summary.published_at.astimezone(zone).strftime("%d/%m/%Y"),
                    signatures=summary.signatures,
                )
            )
        await send_pages(interaction, split_pages(["\n".join(blocks)]))


# --------------------------------------------------------------------------- /admin charte-publier


@options("opt.admin.charte-publier", "fichier", "proposition")
async def publish_charter(
    interaction: discord.Interaction[Any],
    fichier: discord.Attachment | None = None,
    proposition: int | None = None,
) -> None:
    """Publish a new charter version, from an attached markdown file or from an adopted
    proposal's text (bureau only)."""
    if interaction.guild_id is None:
        raise app_commands.NoPrivateMessage()
    bot = bot_of(interaction)
    actor = actor_of(interaction)
    async with bot.db.read() as session:
        await access.resolve(session, actor, Person.require_bureau)
    if (fichier is None) == (proposition is None):
        raise InvalidInput("charte.publier.source")
    if fichier is not None:
        if not fichier.filename.lower().endswith(ACCEPTED_EXTENSIONS):
            raise InvalidInput("charte.publier.format", fichier=fichier.filename)
        if fichier.size > charter.MAX_CHARTER_BYTES:
            raise InvalidInput(
                "charte.publier.trop-long", taille=fichier.size, limite=charter.MAX_CHARTER_BYTES
            )
    await interaction.response.defer(ephemeral=True, thinking=True)
    # The file is downloaded before the transaction: no Discord round trip while writing.
    uploaded = charter.decode_upload(await fichier.read()) if fichier is not None else None
    async with bot.db.begin() as session:
        if uploaded is not None:
            text = uploaded
        else:
            assert proposition is not None
            text = await adopted_proposal_text(session, actor.guild_id, proposition)
        version, to_ask = await charter.publish(
            session, guild_id=actor.guild_id, text=text, actor_id=actor.user_id
        )
        recipients = [
            (elu.discord_user_id, recipient_locale(bot, elu.discord_user_id, stored=elu.locale))
            for elu in to_ask
            if elu.discord_user_id
        ]
        number = version.version
    sent, failed = 0, 0
    for user_id, locale in recipients:
        try:
            user = bot.get_user(user_id) or await bot.fetch_user(user_id)
            view = discord.ui.View(timeout=None)
            view.add_item(
                SignAgainButton(
                    actor.guild_id, label=t("charte.relance.bouton", locale, version=number)
                )
            )
            await user.send(t("charte.relance", locale, version=number), view=view)
            sent += 1
        except discord.HTTPException:
            log.warning("Could not DM a signatory about charter version %s", number)
            failed += 1
    key = "charte.publiee.echecs" if failed else "charte.publiee"
    await reply(
        interaction, t(key, interaction.locale, version=number, relances=sent, echecs=failed)
    )


async def adopted_proposal_text(session: Any, guild_id: int, number: int) -> str:
    """The text of an adopted proposal, the source of a new charter version."""
    proposal = await proposals.get_by_number(session, guild_id, number)
    if proposal.status != ProposalStatus.ADOPTEE:
        raise InvalidInput("charte.publier.non-adoptee", numero=number)
    return await proposals.current_text(session, proposal)


def publish_command() -> app_commands.Command[Any, ..., None]:
    return app_commands.Command(
        name=L("cmd.admin.charte-publier"),
        description=L("cmd.admin.charte-publier.desc"),
        callback=publish_charter,
    )


async def setup(bot: RtesBot) -> None:
    await bot.add_cog(Charter(bot))
    admin_group_of(bot).add_command(publish_command(), override=True)
