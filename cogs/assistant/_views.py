"""The ask-back buttons: each re-asks one unambiguous reading of the question."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import discord

from rtes_bot.services.assistant import Choice
from rtes_bot.ui import OwnerView

Ask = Callable[[discord.Interaction[Any], str], Awaitable[None]]


class ChoiceButton(discord.ui.Button["AskBackView"]):
    def __init__(self, choice: Choice, index: int) -> None:
        super().__init__(
            label=choice.label[:80],
            style=discord.ButtonStyle.primary if index == 0 else discord.ButtonStyle.secondary,
        )
        self.choice = choice

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        view = self.view
        assert view is not None
        view.stop()
        await view.ask(interaction, self.choice.question)


class AskBackView(OwnerView):
    """Up to three buttons, for the person who asked; a click answers that reading."""

    def __init__(self, owner_id: int, choices: Sequence[Choice], ask: Ask) -> None:
        super().__init__(owner_id, timeout=600)
        self.ask = ask
        for index, choice in enumerate(choices[:3]):
            self.add_item(ChoiceButton(choice, index))
