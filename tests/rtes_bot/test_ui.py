"""The shared Discord-side helpers of `rtes_bot/ui.py`: what an autocomplete keeps (pure), the one
confirmation view, owner-only views, and the persistent buttons' contract."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any
from unittest.mock import AsyncMock

import pytest

from rtes_bot.catalog import t
from rtes_bot.errors import NotAllowed
from rtes_bot.ui import ConfirmView, EntityButton, OwnerView, clip, matches, typed_filter


@pytest.mark.parametrize(
    ("typed", "folded"),
    [
        ("#12", "12"),
        ("n°12", "12"),
        ("N° 12", "12"),
        ("  # 3", "3"),
        ("Énergie", "energie"),
        # a word starting with « n » keeps its « n » (only « n° » is a number prefix)
        ("nature", "nature"),
        ("", ""),
    ],
)
def test_typed_filter_folds_and_drops_a_number_prefix(typed: str, folded: str) -> None:
    assert typed_filter(typed) == folded


def test_matches_by_number_prefix_or_folded_text() -> None:
    assert matches("", number=7, texts=("Budget",))
    assert matches("1", number=12)
    assert not matches("2", number=12)  # a number matches by its start, not anywhere
    assert matches("budget", number=12, texts=("Le Budget participatif",))
    assert matches("energie", texts=("Transition énergétique",)) is False
    assert matches("energ", texts=("Transition énergétique",))
    assert not matches("velo", texts=())


def test_clip_marks_the_cut_and_keeps_short_texts() -> None:
    assert clip("court", 100) == "court"
    assert clip("x" * 150, 100) == "x" * 99 + "…"
    assert len(clip("x" * 150, 100)) == 100


# ----------------------------------------------------------------- views and buttons


def _click(user_id: int = 1) -> Any:
    """A stand-in for a button click: who clicked, and a response that records edits."""
    return SimpleNamespace(
        user=SimpleNamespace(id=user_id),
        locale="fr",
        response=SimpleNamespace(edit_message=AsyncMock(), is_done=lambda: False),
    )


async def test_confirm_runs_the_action_then_disables_itself_and_keeps_the_choice() -> None:
    done = AsyncMock()
    view = ConfirmView(1, "fr", done, confirm_key="donnees.effacer.confirmer")
    assert (view.confirm.label, view.cancel.label) == (
        t("donnees.effacer.confirmer", "fr"),
        t("commun.annuler", "fr"),
    )
    click = _click()
    await view.confirm.callback(click)
    done.assert_awaited_once_with(click)
    assert view.confirmed is True and view.is_finished()
    assert view.confirm.disabled and view.cancel.disabled
    await view.confirm.callback(_click())  # a second click does nothing more
    assert done.await_count == 1


async def test_a_refused_confirmation_leaves_the_question_open() -> None:
    async def refuse(interaction: Any) -> None:
        raise NotAllowed("acces.bureau-requis")

    view = ConfirmView(1, "fr", refuse)
    with pytest.raises(NotAllowed):
        await view.confirm.callback(_click())
    assert view.confirmed is None and not view.is_finished() and not view.confirm.disabled


async def test_cancel_says_nothing_changed_and_removes_the_buttons() -> None:
    done = AsyncMock()
    view = ConfirmView(1, "en", done)
    click = _click()
    await view.cancel.callback(click)
    done.assert_not_awaited()
    assert view.confirmed is False and view.is_finished()
    edit = click.response.edit_message.await_args.kwargs
    assert edit["content"] == t("commun.annule", "en") and edit["view"] is None


async def test_only_the_owner_may_use_an_owner_view() -> None:
    view = OwnerView(1)
    assert await view.interaction_check(_click(1))
    stranger = _click(2)
    stranger.response.send_message = AsyncMock()
    assert not await view.interaction_check(stranger)
    assert stranger.response.send_message.await_args.kwargs["content"] == t(
        "pages.pas-a-vous", "fr"
    )


def test_a_persistent_button_must_say_what_it_does() -> None:
    with pytest.raises(TypeError):

        class Mute(EntityButton):  # no run(): refused when the class is defined
            PREFIX = "rtes:test-muet"
