"""The documented ways to keep the bot running (docs/deploy/), checked as far as this machine
allows: the systemd unit by `systemd-analyze verify` (with its paths pointed at this checkout) and
against the command line's exit codes; the Containerfile by reading it: what it copies exists,
each `uv sync` it runs works on this lock (`--dry-run`), its entry point is the project's script
and its command a real `rtes-bot` command. (No container engine runs here: the image is not
built by the tests.)"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

from rtes_bot.cli import EXIT_CONFIGURATION, EXIT_REFUSED, EXIT_UNREACHABLE, main
from tests.support import paths

DEPLOY = paths.ROOT / "docs" / "deploy"
UNIT = DEPLOY / "rtes-bot.service"
CONTAINERFILE = DEPLOY / "Containerfile"
PYPROJECT = tomllib.loads((paths.ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def unit_entries() -> dict[str, list[str]]:
    """``Section.Key`` → values (a key may repeat, as Environment= does)."""
    entries: dict[str, list[str]] = {}
    section = ""
    for raw in UNIT.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            section = line.strip("[]")
            continue
        key, _, value = line.partition("=")
        entries.setdefault(f"{section}.{key.strip()}", []).append(value.strip())
    return entries


def containerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments), continuation lines joined, comments dropped."""
    joined = re.sub(r"\\\n", " ", CONTAINERFILE.read_text(encoding="utf-8"))
    instructions = []
    for line in joined.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            instructions.append((word.upper(), rest.strip()))
    return instructions


def test_the_unit_runs_the_bot_and_restarts_it_only_when_that_may_help() -> None:
    entries = unit_entries()
    (exec_start,) = entries["Service.ExecStart"]
    program, *args = shlex.split(exec_start)
    assert program == "/opt/rtes-bot/.venv/bin/rtes-bot" and args == ["run"]
    assert args[0] in main.commands
    assert entries["Service.WorkingDirectory"] == ["/opt/rtes-bot"]  # where .env is read
    assert entries["Service.Restart"] == ["on-failure"]
    prevented = {int(code) for code in entries["Service.RestartPreventExitStatus"][0].split()}
    assert prevented == {EXIT_CONFIGURATION, EXIT_REFUSED}
    assert EXIT_UNREACHABLE not in prevented
    environment = dict(value.split("=", 1) for value in entries["Service.Environment"])
    (state,) = entries["Service.StateDirectory"]
    assert environment["DATA_DIR"] == f"/var/lib/{state}"


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze here")
def test_systemd_accepts_the_unit(tmp_path: Path) -> None:
    """`systemd-analyze verify` with /opt/rtes-bot replaced by this checkout (whose
    .venv/bin/rtes-bot exists): no error, no warning (unknown keys, bad values are warned)."""
    assert (paths.ROOT / ".venv" / "bin" / "rtes-bot").exists()
    unit = tmp_path / "rtes-bot.service"
    unit.write_text(
        UNIT.read_text(encoding="utf-8").replace("/opt/rtes-bot", str(paths.ROOT)),
        encoding="utf-8",
    )
    checked = subprocess.run(
        ["systemd-analyze", "verify", str(unit)], capture_output=True, text=True, timeout=60
    )
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.strip() == "" and checked.stderr.strip() == "", checked.stderr


def test_the_containerfile_copies_what_exists_and_runs_the_real_command() -> None:
    instructions = containerfile_instructions()
    (base,) = [args for word, args in instructions if word == "FROM"]
    version = re.fullmatch(r"python:(\d+)\.(\d+)-slim", base)
    assert version is not None, base
    wanted = re.search(r">=\s*(\d+)\.(\d+)", PYPROJECT["project"]["requires-python"])
    assert wanted is not None
    assert tuple(map(int, version.groups())) >= tuple(map(int, wanted.groups()))

    copied: set[str] = set()
    for word, args in instructions:
        if word != "COPY" or args.startswith("--from"):
            continue
        *sources, _destination = args.split()
        for source in sources:
            assert (paths.ROOT / source).exists(), source
            copied.add(source.rstrip("/"))
    # what the wheel packages, and what its metadata reads (pyproject's readme), is copied
    packages = PYPROJECT["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"]
    assert {*packages, "pyproject.toml", "uv.lock", PYPROJECT["project"]["readme"]} <= copied

    entrypoint = [args for word, args in instructions if word == "ENTRYPOINT"]
    command = [args for word, args in instructions if word == "CMD"]
    assert entrypoint == ['["rtes-bot"]'] and "rtes-bot" in PYPROJECT["project"]["scripts"]
    assert command == ['["run"]'] and "run" in main.commands
    env = " ".join(args for word, args in instructions if word == "ENV")
    volumes = " ".join(args for word, args in instructions if word == "VOLUME")
    assert "DATA_DIR=/data" in env and '"/data"' in volumes


@pytest.mark.skipif(shutil.which("uv") is None, reason="uv is not installed here")
def test_each_uv_sync_of_the_containerfile_works_on_this_lock() -> None:
    """Every `uv sync …` the image runs, with `--dry-run` (nothing changes here): the lock is
    up to date (`--locked`) and the flags exist."""
    syncs = [
        shlex.split(part.strip())
        for word, args in containerfile_instructions()
        if word == "RUN"
        for part in args.split("&&")
        if part.strip().startswith("uv ")
    ]
    assert syncs and all(words[:2] == ["uv", "sync"] for words in syncs)
    assert all("--locked" in words and "--no-dev" in words for words in syncs)
    for words in syncs:
        checked = subprocess.run(
            [*words, "--dry-run", "--offline"],
            cwd=paths.ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert checked.returncode == 0, (words, checked.stderr)


def test_the_readme_points_to_both() -> None:
    readme = (paths.ROOT / "README.md").read_text(encoding="utf-8")
    assert "docs/deploy/rtes-bot.service" in readme and "docs/deploy/Containerfile" in readme
