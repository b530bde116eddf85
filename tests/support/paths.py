"""Where things are, for tests wherever they sit in the tree."""

from __future__ import annotations

from pathlib import Path

#: the repository's root (holds pyproject.toml)
ROOT = Path(__file__).resolve().parents[2]
#: the test data (real and textbook elections)
ELECTIONS = ROOT / "tests" / "data" / "elections"
#: the material shared beside the repository (the seed texts), when present
SHARED = ROOT.parent / "shared"
