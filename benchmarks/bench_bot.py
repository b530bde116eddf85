"""Benchmarks of the bot against its own floors. Prints a table of figures and ratios.

    uv run python -m benchmarks.bench_bot [--quick] [--postgres URL] [--markdown docs/performance.md]

Each figure is compared with a floor measured in the same run on the same machine:
- interaction floor: the emulator + a bare discord.py bot answering `/ping` with one ephemeral
  message (a bare click on a persistent message button is measured too, for reference);
- storage floor: raw aiosqlite single-row INSERT + COMMIT on the same file system (and raw
  asyncpg single-row INSERTs on the same PostgreSQL server with ``--postgres``);
- closing: a poll of 10,000 ballots closed and its announcement built, against the 2 s target;
- start-up: time to first answered command and resident memory with a large database, in a
  separate bot process, next to the same start on an empty database.

The emulator, the load generator and the bot share one process and one event loop, exactly as
for the floor: the ratios compare like with like.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import discord
from discord import app_commands

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.common import Bursts, Row, bursts, machine  # noqa: E402
from tests.emulator import DiscordEmulator, run_client  # noqa: E402

READY_TARGET_S = 3.0
RSS_TARGET_MB = 150.0
COMMAND = "uv run python -m benchmarks.bench_bot --markdown docs/performance.md"
TIMEOUT = 300


# ------------------------------------------------------------------ interaction floor


#: the answer of a vote, as the bot words it (the shaped floors answer exactly this)
VOTE_ANSWER = (
    "✅ Bulletin enregistré pour le scrutin n°1 : **Pour**\n"
    "Vous pouvez le changer jusqu'à la clôture."
)


def answer_view() -> discord.ui.View:
    """A vote's answer carries one persistent button (« Changer mon vote »), not kept in memory."""
    view = discord.ui.View(timeout=None)
    view.add_item(
        discord.ui.Button(
            style=discord.ButtonStyle.secondary,
            label="Changer mon vote",
            emoji="✏️",
            custom_id="floor:changer:1:0",
        )
    )
    view.stop()
    return view


class FloorButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"floor:(?P<kind>vote|pour|contre|abstention):(?P<n>\d+)",
):
    """A persistent message button (routed by its custom id, as after a restart). `vote`
    answers « pour » (the bare click); `pour`, `contre`, `abstention` are the poll message's
    one-click buttons and answer as a vote does (text and button), without the bot."""

    def __init__(self, kind: str, number: int, label: str = "Pour") -> None:
        super().__init__(
            discord.ui.Button(
                style=discord.ButtonStyle.success, label=label, custom_id=f"floor:{kind}:{number}"
            )
        )
        self.kind = kind

    @classmethod
    async def from_custom_id(  # type: ignore[override]
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: Any
    ) -> FloorButton:
        return cls(match["kind"], int(match["n"]), getattr(item, "label", None) or "")

    async def callback(self, interaction: discord.Interaction[Any]) -> None:  # type: ignore[override]
        if self.kind == "vote":
            await interaction.response.send_message("pour", ephemeral=True)
        else:
            await interaction.response.send_message(VOTE_ANSWER, ephemeral=True, view=answer_view())


class FloorBot(discord.Client):
    """A bare discord.py client: `/ping` answers at once with one ephemeral message; `/voter`
    takes the real command's options and answers what a vote answers, without any work."""

    def __init__(self, guild_id: int) -> None:
        super().__init__(intents=discord.Intents(guilds=True), guild_ready_timeout=0.1)
        self.guild_id = guild_id
        self.tree = app_commands.CommandTree(self)

        @app_commands.command(name="ping", description="floor")
        async def ping(interaction: discord.Interaction) -> None:
            await interaction.response.send_message("pong", ephemeral=True)

        @app_commands.command(name="voter", description="floor shaped like /voter")
        async def voter(
            interaction: discord.Interaction,
            scrutin: int,
            choix: str | None = None,
            au_nom_de: discord.Member | None = None,
        ) -> None:
            await interaction.response.send_message(VOTE_ANSWER, ephemeral=True, view=answer_view())

        self.tree.add_command(ping, guild=discord.Object(guild_id))
        self.tree.add_command(voter, guild=discord.Object(guild_id))

    async def setup_hook(self) -> None:
        self.add_dynamic_items(FloorButton)
        await self.tree.sync(guild=discord.Object(self.guild_id))


def poll_message_parts() -> tuple[discord.Embed, discord.ui.View]:
    """The message of a secret pour-contre poll as the bot posts it (same embed, same three
    one-click buttons), for the shaped click floor."""
    from datetime import timedelta

    from cogs.polls._publisher import poll_embed
    from rtes_bot.models import Poll, utcnow

    poll = Poll(
        id=1,
        guild_id=1,
        number=1,
        question="Mesure 1 ?",
        method="pour-contre",
        options=[],
        secret=True,
        seed="0" * 32,
        status="open",
        closes_at=utcnow() + timedelta(hours=48),
    )
    view = discord.ui.View(timeout=None)
    for choice, label in [("pour", "Pour"), ("contre", "Contre"), ("abstention", "Abstention")]:
        view.add_item(FloorButton(choice, 1, label))
    return poll_embed(poll, 0, "fr"), view


FLOOR_KINDS = ("ping", "click", "voter", "pour")


async def interaction_floor(sizes: list[int], rounds: int) -> dict[str, dict[int, Bursts]]:
    """Bursts on the bare client: `/ping`, a click on a bare button, and the two shapes of a vote
    (`/voter scrutin choix`; « Pour » on a poll-shaped message), answered as a vote is."""
    emu = DiscordEmulator()
    await emu.start()
    emu.install()
    results: dict[str, dict[int, Bursts]] = {kind: {} for kind in FLOOR_KINDS}
    try:
        guild = emu.create_guild("Floor")
        channel = emu.create_channel(guild, "scrutins")
        users = [emu.create_user(f"u{i}") for i in range(max(sizes))]
        for user in users:
            emu.add_member(guild, user)

        async def ping(_: Any, index: int) -> None:
            r = await emu.slash(guild, users[index], "ping", timeout=TIMEOUT)
            if r.text != "pong":
                raise RuntimeError(f"/ping answered {r.text!r}")

        async def voter(_: Any, index: int) -> None:
            r = await emu.slash(
                guild,
                users[index],
                "voter",
                options={"scrutin": 1, "choix": "pour"},
                timeout=TIMEOUT,
            )
            if r.text != VOTE_ANSWER:
                raise RuntimeError(f"the shaped /voter answered {r.text!r}")

        async def click(message: Any, index: int) -> None:
            r = await emu.click(guild, users[index], message, "floor:vote:1", timeout=TIMEOUT)
            if r.text != "pour":
                raise RuntimeError(f"the floor button answered {r.text!r}")

        async def pour(message: Any, index: int) -> None:
            r = await emu.click(guild, users[index], message, "floor:pour:1", timeout=TIMEOUT)
            if r.text != VOTE_ANSWER:
                raise RuntimeError(f"the shaped « Pour » answered {r.text!r}")

        client = FloorBot(guild.id)
        async with run_client(emu, client):
            bare = discord.ui.View(timeout=None)
            bare.add_item(FloorButton("vote", 1))
            target = client.get_partial_messageable(channel.id)
            bare_message = emu.messages[(await target.send("vote", view=bare)).id]
            embed, view = poll_message_parts()
            poll_message = emu.messages[(await target.send(embed=embed, view=view)).id]
            fires: dict[str, tuple[Any, Callable[[Any, int], Awaitable[None]]]] = {
                "ping": (None, ping),
                "click": (bare_message, click),
                "voter": (None, voter),
                "pour": (poll_message, pour),
            }
            # Warm-up: the first large burst of a session opens aiohttp's connection pool (up to
            # 100 connections each way); no measured burst may pay for that.
            await bursts(1, max(sizes), lambda: asyncio.sleep(0), ping)
            for kind, (message, fire) in fires.items():

                async def context(message: Any = message) -> Any:
                    return message

                await bursts(1, 20, context, fire)  # warm-up of each path
                for size in sizes:
                    results[kind][size] = await bursts(rounds, size, context, fire)
    finally:
        await emu.stop()
    return results


# ------------------------------------------------------------------ start-up


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


@contextlib.contextmanager
def bytecode(prefix: Path | None) -> Iterator[None]:
    """Start the bot process with bytecode written and read under `prefix` (outside the source
    tree), or, with None, with no bytecode at all (every module compiled at every start).

    A deployed bot runs from compiled bytecode (pip and Docker images compile it, and Python
    writes it on the first run); an environment with PYTHONDONTWRITEBYTECODE=1, like the one
    these benchmarks were first run in, compiles every module again at every start.
    """
    saved = {
        name: os.environ.get(name) for name in ("PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX")
    }
    if prefix is None:
        os.environ["PYTHONDONTWRITEBYTECODE"] = "1"
        os.environ.pop("PYTHONPYCACHEPREFIX", None)
    else:
        os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
        os.environ["PYTHONPYCACHEPREFIX"] = str(prefix)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


async def start_and_measure(
    emu: DiscordEmulator,
    guild: Any,
    user: Any,
    database_url: str,
    folder: Path,
    secret_key: str,
    *,
    compiled: bool = True,
    close_number: int | None = None,
) -> dict[str, float]:
    """Start the bot in its own process; time to the first answered `/aide`, RSS once settled.
    With `close_number`, the bureau then closes that open poll (`/scrutin cloturer`: closing and
    the process's first announcement, which imports the chart library) and RSS is read again."""
    from tests.support.processes import start_bot_process

    started = time.perf_counter()
    with bytecode(folder.parent / "pycache" if compiled else None):
        process = await start_bot_process(
            emu.port,
            database_url=database_url,
            guild_id=guild.id,
            data_dir=folder,
            secret_key=secret_key,
            token="bench-token",
        )
    try:
        await emu.wait_connected(1, timeout=60)
        connected = time.perf_counter() - started
        reply = await emu.slash(guild, user, "aide", timeout=60)
        await reply.wait_done(60)
        if "/" not in reply.text:
            raise RuntimeError(f"/aide answered {reply.text!r}")
        ready = time.perf_counter() - started
        first_rss = rss_mb(process.process.pid)
        await asyncio.sleep(3.0)  # let start-up work (scheduler turn, refreshes) settle
        settled_rss = rss_mb(process.process.pid)
        announced: dict[str, float] = {}
        if close_number is not None:
            closing = time.perf_counter()
            r = await emu.slash(
                guild,
                user,
                "scrutin",
                subcommand="cloturer",
                options={"numero": close_number},
                timeout=60,
            )
            await r.wait_done(60)
            if str(close_number) not in r.text:
                raise RuntimeError(f"/scrutin cloturer answered {r.text!r}")
            announced["announce_s"] = time.perf_counter() - closing
            await asyncio.sleep(2.0)
            announced["announce_rss_mb"] = rss_mb(process.process.pid)
    finally:
        await process.terminate()
    if process.process.returncode not in (0, -15):
        raise RuntimeError(f"bot process failed:\n{process.log()[-3000:]}")
    await emu.wait_for(lambda: not emu.connected, timeout=10)
    return {
        "connected_s": connected,
        "ready_s": ready,
        "rss_mb": max(first_rss, settled_rss),
        **announced,
    }


async def startup_figures(
    folder: Path, *, members: int, polls: int, ballots: int, repeat: int
) -> list[Row]:
    from benchmarks.large_db import reset_sequences, seed_large_network
    from rtes_bot.db import Database, upgrade
    from rtes_bot.keys import decode_key, generate_key_text

    key_text = generate_key_text()  # a valid key, as `rtes-bot key generate` prints

    emu = DiscordEmulator()
    await emu.start()
    emu.install()
    guild = emu.create_guild("RTES", community=True)
    user = emu.create_user("mesure")
    emu.add_member(guild, user, administrator=True)  # the bureau: it closes a poll
    guild_id = guild.id
    empty_url = f"sqlite+aiosqlite:///{folder / 'empty.sqlite3'}"
    large_url = f"sqlite+aiosqlite:///{folder / 'large.sqlite3'}"
    await upgrade(empty_url)
    await upgrade(large_url)
    database = Database(large_url)
    seeding = time.perf_counter()
    await seed_large_network(
        database,
        guild_id,
        members=members,
        polls=polls,
        ballots=ballots,
        master_key=decode_key(key_text),
    )
    await reset_sequences(database)
    await database.dispose()
    seeded = time.perf_counter() - seeding
    size_mb = (folder / "large.sqlite3").stat().st_size / 1024 / 1024

    def best(runs: list[dict[str, float]]) -> dict[str, float]:
        # The machine is shared: the median run is what a quiet machine would show.
        return {key: sorted(run[key] for run in runs)[len(runs) // 2] for key in runs[0]}

    try:
        # The first start writes the bytecode (as the first start of a fresh install does).
        await start_and_measure(emu, guild, user, empty_url, folder / "s", key_text)
        runs: dict[str, list[dict[str, float]]] = {"empty": [], "large": [], "source": []}
        for _ in range(repeat):  # interleaved, so that all see the same background load
            for kind, url, compiled in [
                ("empty", empty_url, True),
                ("large", large_url, True),
                ("source", large_url, False),
            ]:
                runs[kind].append(
                    await start_and_measure(
                        emu, guild, user, url, folder / "s", key_text, compiled=compiled
                    )
                )
        # One more start, in which the bureau closes the last open poll (after the measured
        # starts, so that all of them load the same open polls).
        closing = await start_and_measure(
            emu, guild, user, large_url, folder / "s", key_text, close_number=polls
        )
    finally:
        await emu.stop()
    empty, large, source = best(runs["empty"]), best(runs["large"]), best(runs["source"])
    label = f"{members:,} members, {polls:,} polls, {ballots:,} ballots"
    return [
        (
            "floor: bot process start to first answered `/aide`, empty database",
            f"{empty['ready_s']:.2f} s (gateway connected at {empty['connected_s']:.2f} s); "
            f"RSS {empty['rss_mb']:.0f} MB",
            "1.00 (floor)",
        ),
        (
            f"start-up to first answered command ({label}; SQLite file {size_mb:.0f} MB, "
            f"seeded in {seeded:.0f} s)",
            f"{large['ready_s']:.2f} s (gateway connected at {large['connected_s']:.2f} s)",
            f"{large['ready_s'] / READY_TARGET_S:.2f} of the {READY_TARGET_S:g} s target; "
            f"{large['ready_s'] / empty['ready_s']:.2f}× the empty-database start",
        ),
        (
            "the same start without bytecode (PYTHONDONTWRITEBYTECODE=1: every module compiled)",
            f"{source['ready_s']:.2f} s; RSS {source['rss_mb']:.0f} MB",
            f"{source['ready_s'] / READY_TARGET_S:.2f} of the {READY_TARGET_S:g} s target",
        ),
        (
            f"resident memory after start ({label})",
            f"{large['rss_mb']:.0f} MB",
            f"{large['rss_mb'] / RSS_TARGET_MB:.2f} of the {RSS_TARGET_MB:g} MB target; "
            f"{round(large['rss_mb'] - empty['rss_mb']):+d} MB over the empty database",
        ),
        (
            f"the same bot after its first announcement (`/scrutin cloturer` of an open poll: "
            f"{max(1, ballots // polls):,} ballots, {members:,} on the list; imports the chart "
            "library)",
            f"answered in {closing['announce_s']:.2f} s; RSS {closing['announce_rss_mb']:.0f} MB "
            f"(before: {closing['rss_mb']:.0f} MB)",
            f"{closing['announce_rss_mb'] / RSS_TARGET_MB:.2f} of the {RSS_TARGET_MB:g} MB "
            f"target; {closing['announce_s'] / 2.0:.2f} of the 2 s closing target",
        ),
    ]


# ------------------------------------------------------------------ main


async def run(args: argparse.Namespace) -> list[Row]:
    from benchmarks.voting import (
        ballot_storage_figures,
        sqlite_commit_floor,
        vote_and_floor_figures,
    )

    quick = args.quick
    rows: list[Row] = []
    rounds = 1 if quick else 3
    with tempfile.TemporaryDirectory(prefix="rtes-bench-", dir=args.tmp) as tmp:
        folder = Path(tmp)
        sizes = [100, 200] if quick else [100, 1000]
        progress("interaction floor and vote bursts, alternated")
        floor, vote_rows = await vote_and_floor_figures(
            sizes, folder, rounds, args.postgres, lambda: interaction_floor(sizes, 1)
        )
        labels = {
            "click": "bare discord.py click on a persistent message button",
            "voter": "bare discord.py `/voter scrutin choix` shaped floor (same options, same "
            "answer text and button, no work)",
            "pour": "bare discord.py « Pour » shaped floor (click on a poll-shaped message: same "
            "embed and 3 buttons; same answer)",
        }
        for size in sizes:
            ping = floor["ping"][size]
            rows.append(
                (
                    f"floor: bare discord.py `/ping`, burst of {size:,}",
                    ping.describe("interactions", "interaction") + ping.spread(),
                    "1.00 (floor)",
                )
            )
            for kind, label in labels.items():
                found = floor[kind][size]
                rows.append(
                    (
                        f"{label}, burst of {size:,}",
                        found.describe("interactions", "interaction") + found.spread(),
                        f"{found.rate / ping.rate:.2f} of `/ping` (discord.py and the emulator "
                        "alone)",
                    )
                )
        rows.extend(vote_rows)
        progress("ballot storage and closing")
        count = 300 if quick else 2000
        close_count = 2_000 if quick else 10_000
        commit_floor, low, high = await median_of(
            rounds, lambda: sqlite_commit_floor(folder, count)
        )
        rows.append(
            (
                "floor: raw aiosqlite single-row INSERT + COMMIT (WAL, synchronous=NORMAL)",
                f"{commit_floor:,.0f} rows/s"
                + (f" (runs: {low:,.0f}–{high:,.0f})" if rounds > 1 else ""),
                "1.00 (floor)",
            )
        )
        rows.extend(
            await ballot_storage_figures(
                folder, commit_floor, count, close_count, args.postgres, rounds
            )
        )
        progress("start-up")
        members, polls, ballots = (1_000, 100, 10_000) if quick else (10_000, 1_000, 100_000)
        rows.extend(
            await startup_figures(
                folder, members=members, polls=polls, ballots=ballots, repeat=rounds
            )
        )
    return rows


async def median_of(
    times: int, measure: Callable[[], Awaitable[float]]
) -> tuple[float, float, float]:
    """(median, lowest, highest) of `times` measures."""
    found = [await measure() for _ in range(times)]
    return statistics.median(found), min(found), max(found)


def progress(step: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {step}…", file=sys.stderr, flush=True)


def print_table(rows: list[Row]) -> None:
    width = max(len(r[0]) for r in rows)
    fig = max(len(r[1]) for r in rows)
    for measure, figure, ratio in rows:
        print(f"{measure:<{width}}  {figure:<{fig}}  {ratio}")


BEGIN = "<!-- generated by `python -m benchmarks.bench_bot --markdown`: begin -->"
END = "<!-- generated by `python -m benchmarks.bench_bot --markdown`: end -->"


def counting_figures() -> str:
    """The output of `python -m benchmarks.bench_counting` (run apart: it is CPU-bound)."""
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_counting"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.rstrip()


def markdown(rows: list[Row], command: str, counting: str | None) -> str:
    lines = [
        f"Measured on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {machine()}.",
        "",
        f"Reproduce with `{command}`.",
        "",
        "| measure | figure | ratio |",
        "|---|---|---|",
        *[f"| {m} | {f} | {r} |" for m, f, r in rows],
    ]
    if counting is not None:
        lines += [
            "",
            "### Counting (`uv run python -m benchmarks.bench_counting`, same run)",
            "",
            "Best of three runs of each method on random, mostly distinct weighted ballots with 10",
            "options (targets: under 200 ms at 10,000 ballots and under 2 s at 100,000).",
            "",
            "```text",
            counting,
            "```",
        ]
    return "\n".join(lines)


def write_markdown(path: Path, block: str) -> None:
    """Replace the generated block of `path` (the text around it is kept), or create the file."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Performance\n"
    generated = f"{BEGIN}\n{block}\n{END}"
    if BEGIN in text and END in text:
        before, rest = text.split(BEGIN, 1)
        text = before + generated + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + generated + "\n"
    path.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--quick", action="store_true", help="smaller sizes, one round: a smoke run"
    )
    parser.add_argument(
        "--postgres", help="PostgreSQL URL of a server (a scratch database is made)"
    )
    parser.add_argument(
        "--markdown", type=Path, help="write the table into this file (its generated block)"
    )
    parser.add_argument(
        "--no-counting", action="store_true", help="with --markdown: skip the counting figures"
    )
    parser.add_argument("--tmp", help="folder for the databases (default: the system's temp)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    # discord.py's notes on missing voice libraries are not findings of this benchmark.
    logging.getLogger("discord.client").setLevel(logging.ERROR)
    with contextlib.suppress(KeyboardInterrupt):
        rows = asyncio.run(run(args))
        print_table(rows)
        if args.markdown:
            command = "uv run python -m benchmarks.bench_bot" + (" --quick" if args.quick else "")
            if args.postgres:
                command += " --postgres postgresql+asyncpg://USER@HOST:PORT/DB"
            command += f" --markdown {args.markdown}"
            counting = None
            if not args.no_counting:
                progress("counting")
                counting = counting_figures()
                print(counting)
            write_markdown(args.markdown, markdown(rows, command, counting))


if __name__ == "__main__":
    main()
