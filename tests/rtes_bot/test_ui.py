"""The shared Discord-side helpers of `rtes_bot/ui.py` that are pure: what an autocomplete keeps."""

from __future__ import annotations

import pytest

from rtes_bot.ui import clip, matches, typed_filter


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
