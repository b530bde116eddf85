"""`rtes-bot --help` tells the truth: every command and subcommand it lists exists and answers
its own `--help` (run as processes, as an operator would), the lazy commands' one-line help is
their real help, and every `rtes-bot …` command the README quotes exists."""

from __future__ import annotations

import re
import subprocess
import sys

import click

from rtes_bot.cli import LazyCommand, main
from tests.support import paths


def _help(*words: str) -> str:
    completed = subprocess.run(
        [sys.executable, "-m", "rtes_bot", *words, "--help"],
        cwd=paths.ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert completed.returncode == 0, (words, completed.stdout + completed.stderr)
    assert "Traceback" not in completed.stdout + completed.stderr
    return completed.stdout


def _listed_commands(help_text: str) -> list[str]:
    """The names in the « Commands: » section of a click help page."""
    section = help_text.split("Commands:", 1)
    if len(section) == 1:
        return []
    return [
        line.split()[0]
        for line in section[1].splitlines()
        if line.startswith("  ") and line.strip() and not line.startswith("    ")
    ]


def test_every_command_listed_by_help_answers_its_own_help() -> None:
    seen: list[tuple[str, ...]] = []
    pending: list[tuple[str, ...]] = [()]
    while pending:
        words = pending.pop()
        listed = _listed_commands(_help(*words))
        seen.append(words)
        pending.extend((*words, name) for name in listed)
    leaves = {" ".join(words) for words in seen if words}
    # What the README promises, at least: every command and subcommand that exists is reached.
    assert {
        "run",
        "check",
        "db upgrade",
        "key generate",
        "key fingerprint",
        "recount",
        "import-collectivites",
        "export audit",
    } <= leaves
    assert not any(word.startswith("polls") for leaf in leaves for word in leaf.split())


def test_lazy_commands_say_in_the_list_what_their_own_help_says() -> None:
    for name, command in main.commands.items():
        if not isinstance(command, LazyCommand):
            continue
        real = command._load()
        assert real.help is not None
        assert command.help == real.help.strip().splitlines()[0], name
        if isinstance(real, click.Group):
            # a group's summary must not name a subcommand it does not have
            mentioned = set(re.findall(r"\(([^)]*)\)", command.help or ""))
            for words in mentioned:
                for word in re.split(r",\s*", words):
                    assert word.split()[0] in real.commands, (name, word)


def test_every_rtes_bot_command_in_the_readme_exists() -> None:
    readme = (paths.ROOT / "README.md").read_text(encoding="utf-8")
    quoted = re.findall(
        r"`(?:uv run (?:--no-dev )?)?rtes-bot ([a-z][a-z-]*)(?: ([a-z][a-z-]*))?", readme
    )
    assert quoted
    for first, second in quoted:
        command = main.commands.get(first)
        assert command is not None, first
        if isinstance(command, LazyCommand):
            command = command._load()
        if isinstance(command, click.Group) and second:
            assert second in command.commands, (first, second)
