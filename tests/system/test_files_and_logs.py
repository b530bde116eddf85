"""Files and logs: the data folder and every database, journal, WAL, shared-memory and key file
are owner-only after the real bot ran (and are fixed at start, with a warning, when they were
not); error logs say which component failed, never what was chosen or typed."""

from __future__ import annotations

import asyncio
import logging
import os
import stat
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from cogs.polls import _views
from rtes_bot.ballot_box import BallotBox
from rtes_bot.db import make_private, protect_sqlite, sqlite_files
from rtes_bot.services import proposals as proposals_service
from rtes_bot.ui import failed_component, traceback_without_values
from tests.support import paths
from tests.support.proposals import install
from tests.support.rig import TEST_TOKEN
from tests.support.voting import open_poll, open_ui, poll_message, setup_network, ui_step

SECRET = "SECRET-CHOICE"

# ------------------------------------------------------------------ file modes


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def private_tree(folder: Path, *, skip: tuple[str, ...] = ()) -> dict[str, str]:
    """Every file and folder under `folder` (itself included) that grants anything to group or
    others, with its mode."""
    found = {}
    for path in [folder, *folder.rglob("*")]:
        if path.name in skip:
            continue
        if mode(path) & 0o077:
            found[str(path.relative_to(folder.parent))] = f"{mode(path):04o}"
    return found


async def start_bot(port: int, data_dir: Path, database_url: str, guild_id: int, log: Path) -> Any:
    """`rtes-bot run` as its own process, its data folder not created beforehand, no SECRET_KEY
    (the bot generates its key file), its output outside the data folder."""
    env = {
        **os.environ,
        "DISCORD_TOKEN": TEST_TOKEN,
        "DATABASE_URL": database_url,
        "GUILD_IDS": str(guild_id),
        "DATA_DIR": str(data_dir),
        "LOG_LEVEL": "INFO",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("SECRET_KEY", None)
    with log.open("ab") as handle:
        return await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "tests.support.bot_process",
            str(port),
            cwd=paths.ROOT,
            env=env,
            stdout=handle,
            stderr=asyncio.subprocess.STDOUT,
        )


async def stop(process: Any) -> None:
    if process.returncode is None:
        process.terminate()
        try:
            await asyncio.wait_for(process.wait(), 10)
        except TimeoutError:
            process.kill()
            await process.wait()


async def test_the_data_folder_and_every_file_are_owner_only_after_the_bot_ran(
    emulator, database_url: str, tmp_path: Path
) -> None:
    guild = emulator.create_guild("RTES", community=True)
    user = emulator.create_user("camille")
    emulator.add_member(guild, user)
    data_dir = tmp_path / "data"
    sqlite = database_url.startswith("sqlite")
    # On SQLite the bot's own database file, created by the bot in its data folder.
    url = f"sqlite+aiosqlite:///{data_dir / 'rtes-bot.sqlite3'}" if sqlite else database_url
    log = tmp_path / "bot.log"
    old_umask = os.umask(0o022)  # a usual umask: the bot must not depend on the caller's
    try:
        process = await start_bot(emulator.port, data_dir, url, guild.id, log)
    finally:
        os.umask(old_umask)
    try:
        await emulator.wait_connected(1, timeout=30)
        await emulator.wait_for(lambda: emulator.commands(guild), timeout=30)
        reply = await emulator.slash(guild, user, "aide", timeout=15)
        assert reply.text
        # While it runs: the folder, the database with its WAL and shared memory, the key file.
        names = {p.name for p in data_dir.iterdir()}
        assert "secret.key" in names
        if sqlite:
            assert {"rtes-bot.sqlite3", "rtes-bot.sqlite3-wal", "rtes-bot.sqlite3-shm"} <= names
        assert mode(data_dir) == 0o700
        assert private_tree(data_dir) == {}
    finally:
        await stop(process)
    assert private_tree(data_dir) == {}
    assert "Traceback" not in log.read_text(errors="replace")

    # Files someone opened up meanwhile are set back at the next start, with a warning.
    data_dir.chmod(0o755)
    for path in data_dir.iterdir():
        path.chmod(0o644)
    opened = sorted(p.name for p in data_dir.iterdir())
    process = await start_bot(emulator.port, data_dir, url, guild.id, log)
    try:
        await emulator.wait_connected(1, timeout=30)
        reply = await emulator.slash(guild, user, "aide", timeout=15)
        assert reply.text
        assert private_tree(data_dir) == {}
    finally:
        await stop(process)
    assert private_tree(data_dir) == {}
    text = log.read_text(errors="replace")
    assert "permissions set to 0600" in text or "set to 0600" in text
    for name in opened:
        assert name in text, name  # each file fixed is named in a warning
    assert "set to 0700" in text


def test_existing_sqlite_files_are_fixed_before_the_database_opens(tmp_path: Path, caplog) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'db' / 'bot.sqlite3'}"
    protect_sqlite(url)
    assert mode(tmp_path / "db") == 0o700  # created owner-only
    for path in sqlite_files(url):
        path.write_bytes(b"")
        path.chmod(0o644)
    with caplog.at_level(logging.WARNING, logger="rtes_bot.db"):
        protect_sqlite(url)
    assert [mode(p) for p in sqlite_files(url)] == [0o600] * 4
    assert len([r for r in caplog.records if "0644" in r.getMessage()]) == 4
    assert make_private(tmp_path / "missing", 0o600) is False
    # New files: owner-only whatever the umask was.
    (tmp_path / "db" / "new").write_bytes(b"")
    assert mode(tmp_path / "db" / "new") == 0o600


# ------------------------------------------------------------------ error logs


class Capture(logging.Handler):
    """Every record from INFO up, formatted as a log file would hold it (tracebacks included)."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        self.lines: list[str] = []
        self.errors: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        text = self.format(record)
        self.lines.append(text)
        if record.levelno >= logging.ERROR:
            self.errors.append(text)


@contextmanager
def captured() -> Iterator[Capture]:
    capture = Capture()
    root = logging.getLogger()
    root.addHandler(capture)
    loggers = [logging.getLogger(name) for name in ("discord", "rtes_bot", "cogs")]
    added = [lg for lg in loggers if not lg.propagate]
    for lg in added:
        lg.addHandler(capture)
    try:
        yield capture
    finally:
        root.removeHandler(capture)
        for lg in added:
            lg.removeHandler(capture)


#: Labels no log line may hold; each poll offers five of them (grades then take two pages).
LABELS = ["Quetzalcoatl", "Ornithorynque", "Zygomatique", "Kaléidoscope", "Xylophonie"]
#: What a log line must never show of a click: the chosen values, the payload, a custom id past
#: its prefix, the item's label.
NEVER = [
    SECRET,
    *LABELS,
    "'values'",
    "custom_id",
    "rtes:bulletin:",
    "rtes:vote:",
    "component_type",
    "Très bien",
    "Passable",
]


def assert_clean(capture: Capture, where: str, *, expected_errors: int = 1) -> None:
    assert len(capture.errors) >= expected_errors, (where, capture.lines)
    for line in capture.lines:
        for value in NEVER:
            assert value not in line, (where, value, line)
    for line in capture.errors:
        # Which component failed is said: a command, a class or a custom id's prefix.
        assert any(
            name in line
            for name in (
                "rtes:bulletin",
                "rtes:vote",
                "rtes:voter",
                "rtes:changer",
                "BallotView",
                "DepositModal",
                "Button",
                "/",
            )
        ), line
        assert "(message withheld)" in line, line


def _components(components: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for component in components:
        yield component
        yield from _components(component.get("components") or [])


def leaky(message: str) -> Any:
    """A failure whose exception message quotes what was chosen (it must stay out of the logs)."""

    def fail(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError(f"{SECRET} {message} {args!r} {kwargs!r}")

    return fail


Step = tuple[str, list[str] | None, bool, bool]  # custom id, values, fail it, then do it


def grading(values: list[str]) -> list[Step]:
    """The grade selects of both pages and the page buttons. A page button's failed click still
    turns the view's page (its message is not edited): the real clicks that follow bring the page
    back to where the message is."""
    first: list[Step] = [(f"rtes:bulletin:note:{i}", [values[i]], True, True) for i in range(4)]
    return [
        *first,
        ("rtes:bulletin:suivant", None, True, True),
        ("rtes:bulletin:precedent", None, False, True),
        ("rtes:bulletin:note:4", [values[4]], True, True),
        ("rtes:bulletin:precedent", None, True, False),
    ]


METHOD_STEPS: dict[str, list[Step]] = {
    "pour-contre": [
        ("rtes:bulletin:pour", None, True, True),
        ("rtes:bulletin:contre", None, True, True),
    ],
    "choix-unique": [("rtes:bulletin:choix", ["1"], True, True)],
    "approbation": [("rtes:bulletin:choix", ["0", "2"], True, True)],
    "classement": [
        ("rtes:bulletin:rang", ["2", "0"], True, True),
        ("rtes:bulletin:recommencer", None, True, True),
        ("rtes:bulletin:rang", ["4", "1"], True, True),
    ],
    "jugement-majoritaire": grading(["5", "1", "3", "6", "0"]),
    "notes": grading(["4", "0", "2", "5", "1"]),
}


async def test_failed_clicks_on_every_ballot_ui_log_the_component_never_the_choice(
    rig: Any, error_log: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    await setup_network(rig)
    voter = await rig.elu("Camille Voteuse")
    # The module the running bot loaded (each bot loads its extensions afresh).
    ballot_view = sys.modules["cogs.polls._views"].BallotView
    for method, steps in METHOD_STEPS.items():
        options: dict[str, Any] = {"question": f"Question {method} ?", "methode": method}
        if method != "pour-contre":
            options["options"] = "; ".join(LABELS)
        poll, _ = await open_poll(rig, **options)
        assert poll is not None and poll.method == method, method

        # 1. The button that opens the ballot UI fails (a persistent item).
        with monkeypatch.context() as patch, captured() as capture:
            patch.setattr(ballot_view, "text", leaky("draft"))
            failed = await open_ui(rig, voter.user, poll)
        assert failed.ephemeral
        assert_clean(capture, f"{method}: opening")
        error_log.clear()

        # 2. Every select and button of the UI fails once its choice is made.
        ui = await open_ui(rig, voter.user, poll)
        for custom_id, values, fail, do in steps:
            if fail:
                with monkeypatch.context() as patch, captured() as capture:
                    patch.setattr(ballot_view, "text", leaky("draft"))
                    await ui_step(rig, voter.user, ui, custom_id, values)
                assert_clean(capture, f"{method}: {custom_id}")
                error_log.clear()
            if do:
                ui = await ui_step(rig, voter.user, ui, custom_id, values)

        # 3. « Valider mon bulletin » fails while storing the ballot.
        with monkeypatch.context() as patch, captured() as capture:
            patch.setattr(BallotBox, "cast_vote", leaky("ballot"))
            await ui_step(rig, voter.user, ui, "rtes:bulletin:valider")
        assert_clean(capture, f"{method}: valider")
        error_log.clear()

        # 4. « Changer mon vote » under the answer of a ballot stored for real (by text).
        if method in ("pour-contre", "choix-unique"):
            choice = "pour" if method == "pour-contre" else LABELS[1]
            done = await rig.emu.slash(
                rig.guild, voter.user, "voter", options={"scrutin": poll.number, "choix": choice}
            )
            await done.wait_done()
            changer = next(
                c["custom_id"]
                for c in _components(done.message.components)
                if str(c.get("custom_id", "")).startswith("rtes:changer:")
            )
            with monkeypatch.context() as patch, captured() as capture:
                patch.setattr(ballot_view, "text", leaky("draft"))
                r = await rig.emu.click(rig.guild, voter.user, done.message, changer)
                await r.wait_done()
            assert_clean(capture, f"{method}: changer")
            error_log.clear()

        # 5. « Vouliez-vous dire … ? » after a near miss typed in /voter.
        if method == "choix-unique":
            near = await rig.emu.slash(
                rig.guild,
                voter.user,
                "voter",
                options={"scrutin": poll.number, "choix": "Zygomatiq"},
            )
            await near.wait_done()
            with monkeypatch.context() as patch, captured() as capture:
                patch.setattr(BallotBox, "cast_vote", leaky("ballot"))
                r = await rig.emu.click(
                    rig.guild, voter.user, near.message, "rtes:bulletin:suggestion"
                )
                await r.wait_done()
            assert_clean(capture, "suggestion")
            error_log.clear()

        # 6. The one-click buttons of a pour-contre poll's message.
        if method == "pour-contre":
            for choice in ("pour", "contre", "abstention"):
                with monkeypatch.context() as patch, captured() as capture:
                    patch.setattr(BallotBox, "cast_vote", leaky("ballot"))
                    r = await rig.emu.click(
                        rig.guild,
                        voter.user,
                        poll_message(rig, poll),
                        f"rtes:vote:{poll.id}:{choice}",
                    )
                    await r.wait_done()
                assert_clean(capture, f"one click {choice}")
                error_log.clear()


async def test_a_failed_modal_logs_the_modal_never_its_fields(
    rig: Any, error_log: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    await install(rig)
    author = await rig.elu("Camille Autrice")
    opened = await rig.emu.slash(rig.guild, author.user, "proposition", subcommand="deposer")
    assert opened.modal is not None
    with monkeypatch.context() as patch, captured() as capture:
        patch.setattr(proposals_service, "deposit", leaky("fields"))
        done = await rig.emu.submit_modal(
            rig.guild,
            author.user,
            opened,
            {"titre": f"{LABELS[0]} titre", "texte": f"{LABELS[1]} texte"},
        )
    assert done.ephemeral
    assert_clean(capture, "deposit modal")
    assert any("DepositModal" in line for line in capture.errors), capture.errors
    error_log.clear()


def test_discord_py_own_component_error_records_are_redacted() -> None:
    """A component error that reaches discord.py's own handler (a view that is not a BaseView,
    a dynamic item): the record names classes, not the item's label, and no exception message."""

    class Plain:
        label = LABELS[0]

        def __repr__(self) -> str:
            return f"<Button label={self.label!r} custom_id='rtes:bulletin:pour'>"

    try:
        raise ValueError(f"{SECRET} {LABELS[1]}")
    except ValueError as error:
        exc_info = (ValueError, error, error.__traceback__)
    record = logging.LogRecord(
        "discord.ui.view",
        logging.ERROR,
        __file__,
        1,
        "Ignoring exception in view %r for item %r",
        (object(), Plain()),
        exc_info,
    )
    assert _views.REDACTOR.filter(record)
    text = logging.Formatter("%(message)s").format(record)
    assert "Plain" in text and "ValueError (message withheld)" in text
    for value in NEVER:
        assert value not in text, value


def test_the_failed_component_is_named_by_its_prefix_only() -> None:
    class Interaction:
        command = None
        type = type("T", (), {"name": "component"})()

        def __init__(self, data: dict[str, Any]) -> None:
            self.data = data

    clicked = Interaction({"custom_id": "rtes:vote:12:contre", "values": ["2"]})
    assert failed_component(clicked) == "component rtes:vote"  # type: ignore[arg-type]
    chosen = Interaction({"custom_id": "8f2c3e0a9b", "values": [LABELS[0]]})
    assert failed_component(chosen) == "component (view)"  # type: ignore[arg-type]
    try:
        raise KeyError(SECRET)
    except KeyError as error:
        assert SECRET not in traceback_without_values(error)


async def test_a_failed_autocomplete_logs_the_option_never_what_was_typed(
    rig: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    await setup_network(rig)
    voter = await rig.elu("Camille Voteuse")
    poll, _ = await open_poll(rig, question="Lequel ?", methode="choix-unique", options="A; B")
    typed = f"{SECRET} {LABELS[0]}"  # a ballot being written
    with monkeypatch.context() as patch, captured() as capture:
        patch.setattr("rtes_bot.ui.matches", leaky("typed"))
        choices = await rig.emu.autocomplete(
            rig.guild,
            voter.user,
            "voter",
            options={"scrutin": poll.number, "choix": typed},
            focused="choix",
        )
    assert choices == []
    failed = [line for line in capture.lines if "Autocomplete of /voter choix failed" in line]
    assert failed and "(message withheld)" in failed[0], capture.lines
    for line in capture.lines:
        assert SECRET not in line and LABELS[0] not in line, line


async def test_the_cli_creates_an_owner_only_database(tmp_path: Path) -> None:
    """`rtes-bot db upgrade` on a new SQLite file, started with a usual umask (022)."""
    folder = tmp_path / "cli-data"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite+aiosqlite:///{folder / 'bot.sqlite3'}",
        "DATA_DIR": str(folder),
    }
    old_umask = os.umask(0o022)
    try:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "rtes_bot", "db", "upgrade", cwd=paths.ROOT, env=env,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
        )  # fmt: skip
    finally:
        os.umask(old_umask)
    output, _ = await asyncio.wait_for(process.communicate(), 120)
    assert process.returncode == 0, output.decode(errors="replace")
    assert (folder / "bot.sqlite3").exists()
    assert mode(folder) == 0o700
    assert private_tree(folder) == {}
