"""Paginated ephemeral messages with Précédent / Suivant buttons (a helper, not an extension).

Discord refuses a message content longer than 2,000 characters: long texts are cut at paragraph
boundaries into pages, and the buttons edit the message in place. Only the person who asked may
turn the pages; the view expires after a while (the command can be run again).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import discord

from rtes_bot.catalog import t
from rtes_bot.ui import NO_MENTIONS, OwnerView, reply

MESSAGE_LIMIT = 2000
PAGE_LIMIT = 1850  # leaves room for the page indicator


def split_pages(blocks: Iterable[str], limit: int = PAGE_LIMIT) -> list[str]:
    """Group blocks (paragraphs, cards) into pages of at most ``limit`` characters.

    A block longer than a page is cut at line, then word boundaries.
    """
    pages: list[str] = []
    current = ""
    for block in blocks:
        for piece in _cut(block, limit):
            candidate = f"{current}\n\n{piece}" if current else piece
            if len(candidate) <= limit:
                current = candidate
            else:
                pages.append(current)
                current = piece
    if current or not pages:
        pages.append(current)
    return pages


def _cut(block: str, limit: int) -> list[str]:
    """A block longer than a page, in pieces: whole lines while they fit, a line too long cut at
    a word boundary where the piece has room, so that a piece never ends with a line alone that
    the next one would have fitted after (a heading stays with its text)."""
    if len(block) <= limit:
        return [block]
    pieces: list[str] = []
    current = ""
    for line in block.split("\n"):
        while True:
            joined = f"{current}\n{line}" if current else line
            if len(joined) <= limit:
                current = joined
                break
            room = limit - len(current) - 1 if current else limit
            cut = line.rfind(" ", 0, room + 1) if room > 0 else -1
            if cut <= 0:
                if current:  # not even one word fits after it: start a new piece
                    pieces.append(current)
                    current = ""
                    continue
                cut = limit  # one word longer than a page
            head = line[:cut]
            pieces.append(f"{current}\n{head}" if current else head)
            current = ""
            line = line[cut:].lstrip()
            if not line:
                break
    if current:
        pieces.append(current)
    return pieces


class Pages(OwnerView):
    def __init__(
        self, pages: list[str], *, owner_id: int, locale: object, timeout: float = 900
    ) -> None:
        super().__init__(owner_id, timeout=timeout)
        self.pages = pages
        self.locale = locale
        self.index = 0
        self.previous.label = t("pages.precedent", locale)
        self.next.label = t("pages.suivant", locale)
        self._update_buttons()

    def content(self) -> str:
        page = self.pages[self.index]
        if len(self.pages) == 1:
            return page
        indicator = t("pages.indicateur", self.locale, page=self.index + 1, total=len(self.pages))
        return f"{page}\n\n-# {indicator}"

    def _update_buttons(self) -> None:
        self.previous.disabled = self.index == 0
        self.next.disabled = self.index >= len(self.pages) - 1

    async def _turn(self, interaction: discord.Interaction[Any], step: int) -> None:
        self.index = min(len(self.pages) - 1, max(0, self.index + step))
        self._update_buttons()
        await interaction.response.edit_message(
            content=self.content(), view=self, allowed_mentions=NO_MENTIONS
        )

    @discord.ui.button(label="Précédent", style=discord.ButtonStyle.secondary)
    async def previous(
        self, interaction: discord.Interaction[Any], button: discord.ui.Button[Any]
    ) -> None:
        await self._turn(interaction, -1)

    @discord.ui.button(label="Suivant", style=discord.ButtonStyle.primary)
    async def next(
        self, interaction: discord.Interaction[Any], button: discord.ui.Button[Any]
    ) -> None:
        await self._turn(interaction, +1)


async def send_pages(
    interaction: discord.Interaction[Any],
    pages: list[str],
    *,
    ephemeral: bool = True,
    extra: list[discord.ui.Item[Any]] | None = None,
) -> None:
    """Answer with the first page, and buttons when there are several."""
    if len(pages) <= 1 and not extra:
        await reply(interaction, pages[0] if pages else "", ephemeral=ephemeral)
        return
    view = Pages(pages, owner_id=interaction.user.id, locale=interaction.locale)
    if len(pages) <= 1:
        view.clear_items()
    for item in extra or []:
        view.add_item(item)
    await reply(interaction, view.content(), ephemeral=ephemeral, view=view)
