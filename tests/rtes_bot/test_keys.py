"""The secret key can't be lost or replaced silently (rtes_bot/keys.py).

Format and length (URL-safe base64 or hex, at least 256 bits), file permissions (0600, fixed with
a warning), the legacy location beside the SQLite file, the fingerprint recorded in the database
and every start-up branch on SQLite and PostgreSQL, the CLI (`key generate`, `check`), and the
real bot as a process refusing to start without its key while polls exist.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import logging
import os
import secrets
import stat
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select
from sqlmodel import col

from rtes_bot import keys
from rtes_bot.cli import main
from rtes_bot.db import Database
from rtes_bot.keys import KeyAction, SecretKeyError, decide, decode_key, fingerprint
from rtes_bot.models import InstanceKey, Poll, utcnow
from rtes_bot.settings import Settings
from tests.support.processes import run_command, start_bot_process
from tests.support.rig import TEST_TOKEN

# --- helpers --------------------------------------------------------------------------------


def b64(raw: bytes, *, padded: bool = False) -> str:
    text = base64.urlsafe_b64encode(raw).decode()
    return text if padded else text.rstrip("=")


def settings_for(data_dir: Path, database_url: str = "", secret_key: str | None = None) -> Settings:
    values: dict[str, object] = {"data_dir": data_dir, "database_url": database_url}
    if secret_key is not None:
        values["secret_key"] = secret_key
    return Settings(_env_file=None, **values)  # type: ignore[arg-type]


def write_key_file(path: Path, key_text: str, mode: int = 0o600) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(key_text + "\n", encoding="ascii")
    os.chmod(path, mode)


def refusal_checks(message: str) -> None:
    """French first, then English; says how to recover and never to replace the key."""
    assert "Démarrage refusé" in message and "Start refused" in message
    assert message.index("Démarrage refusé") < message.index("Start refused")
    assert "Ne remplacez jamais la clé tant que des scrutins existent" in message
    assert "Never replace the key while polls exist" in message
    assert "Traceback" not in message


async def add_poll(database: Database, number: int = 1) -> None:
    async with database.begin() as session:
        session.add(
            Poll(
                guild_id=1,
                number=number,
                question="Adopter la motion ?",
                method="pour-contre",
                options=["pour", "contre"],
                seed="0" * 32,
                closes_at=utcnow() + timedelta(days=2),
            )
        )


async def record_fingerprint(database: Database, fingerprint_hex: str) -> None:
    async with database.begin() as session:
        session.add(InstanceKey(fingerprint=fingerprint_hex))


async def recorded(database: Database) -> str | None:
    async with database.read() as session:
        return (await session.execute(select(col(InstanceKey.fingerprint)))).scalar_one_or_none()


# --- format and length ----------------------------------------------------------------------


@pytest.mark.parametrize("key_text", [b64(b"\x01"), "01", b64(b"\x01", padded=True)])
def test_a_one_byte_key_is_refused_with_how_to_generate_one(key_text: str) -> None:
    with pytest.raises(SecretKeyError) as caught:
        decode_key(key_text)
    message = str(caught.value)
    assert "1 octet(s)" in message and "1 byte(s)" in message
    assert "rtes-bot key generate" in message
    assert message.index("n'est pas une clé secrète valide") < message.index("is not a valid")


@pytest.mark.parametrize(
    "key_text",
    [b64(bytes(range(31))), b64(bytes(range(31)), padded=True), bytes(range(31)).hex()],
)
def test_a_31_byte_key_is_refused(key_text: str) -> None:
    with pytest.raises(SecretKeyError, match="31 byte"):
        decode_key(key_text)


@pytest.mark.parametrize(
    "key_text",
    [
        b64(bytes(range(32))),
        b64(bytes(range(32)), padded=True),
        bytes(range(32)).hex(),
        bytes(range(32)).hex().upper(),
        base64.b64encode(bytes(range(200, 232))).decode(),  # standard alphabet (+/), as openssl
    ],
)
def test_a_32_byte_key_is_accepted_in_every_encoding(key_text: str) -> None:
    master = decode_key(key_text)
    assert len(master) == 32
    assert master in (bytes(range(32)), bytes(range(200, 232)))


def test_keys_generated_by_earlier_versions_stay_valid() -> None:
    for _ in range(50):
        key_text = secrets.token_urlsafe(48)
        assert len(key_text) == 64
        assert decode_key(key_text) == base64.urlsafe_b64decode(key_text)
        assert decode_key(f"  {key_text}\n") == base64.urlsafe_b64decode(key_text)


@pytest.mark.parametrize("key_text", ["", "   ", "pas une clé !" * 5, "a" * 65, "#" * 64])
def test_text_that_is_neither_base64_nor_hex_is_refused(key_text: str) -> None:
    with pytest.raises(SecretKeyError, match="rtes-bot key generate"):
        decode_key(key_text)


def test_a_short_secret_key_setting_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SecretKeyError, match="SECRET_KEY"):
        keys.load_key(settings_for(tmp_path, secret_key="s3cret"))


def test_an_empty_secret_key_setting_means_the_file(tmp_path: Path) -> None:
    write_key_file(tmp_path / "secret.key", b64(b"k" * 32))
    loaded = keys.load_key(settings_for(tmp_path, secret_key=""))
    assert loaded is not None and loaded.path == tmp_path / "secret.key"
    assert loaded.master == b"k" * 32


def test_secret_key_setting_wins_over_the_file(tmp_path: Path) -> None:
    write_key_file(tmp_path / "secret.key", b64(b"f" * 32))
    loaded = keys.load_key(settings_for(tmp_path, secret_key=bytes(range(32)).hex()))
    assert loaded is not None and loaded.from_environment and loaded.master == bytes(range(32))


def test_fingerprint_is_an_hmac_never_the_key_nor_its_hash() -> None:
    master = secrets.token_bytes(48)
    value = fingerprint(master)
    assert value == hmac.new(master, b"rtes-bot key fingerprint v1", hashlib.sha256).hexdigest()
    assert len(value) == 64
    assert value not in (master.hex(), hashlib.sha256(master).hexdigest())
    assert fingerprint(secrets.token_bytes(48)) != value


# --- the key file ---------------------------------------------------------------------------


def test_a_0644_key_file_is_set_to_0600_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "secret.key"
    write_key_file(path, b64(b"k" * 48), mode=0o644)
    with caplog.at_level(logging.WARNING, logger="rtes_bot.keys"):
        loaded = keys.load_key(settings_for(tmp_path))
    assert loaded is not None and loaded.master == b"k" * 48
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert "0644" in caplog.text and "0600" in caplog.text and str(path) in caplog.text


def test_a_group_writable_key_file_is_fixed_too(tmp_path: Path) -> None:
    path = tmp_path / "secret.key"
    write_key_file(path, b64(b"k" * 48), mode=0o620)
    keys.load_key(settings_for(tmp_path))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_an_open_key_file_that_cannot_be_fixed_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "secret.key"
    write_key_file(path, b64(b"k" * 48), mode=0o644)

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(keys.os, "chmod", refuse)
    with pytest.raises(SecretKeyError) as caught:
        keys.load_key(settings_for(tmp_path))
    message = str(caught.value)
    assert "chmod 600" in message and str(path) in message and "0644" in message
    assert message.index("accessible au groupe") < message.index("readable or writable")


def test_an_invalid_key_file_is_refused_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "secret.key"
    write_key_file(path, "AQ")
    with pytest.raises(SecretKeyError) as caught:
        keys.load_key(settings_for(tmp_path))
    assert str(path) in str(caught.value) and "rtes-bot key generate" in str(caught.value)


def test_a_new_key_is_written_exclusively_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "secret.key"
    loaded = keys.write_new_key(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert decode_key(path.read_text(encoding="ascii")) == loaded.master
    assert len(loaded.master) >= 32
    # O_EXCL: a second writer (another process starting at once) gets the first key.
    again = keys.write_new_key(path)
    assert again.master == loaded.master


def test_the_legacy_location_beside_the_sqlite_file_is_used_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    data = tmp_path / "data"
    database_url = f"sqlite+aiosqlite:///{tmp_path / 'elsewhere' / 'bot.sqlite3'}"
    legacy = tmp_path / "elsewhere" / "secret.key"
    write_key_file(legacy, b64(b"L" * 48))
    settings = settings_for(data, database_url)
    with caplog.at_level(logging.WARNING, logger="rtes_bot.keys"):
        loaded = keys.load_key(settings)
    assert loaded is not None and loaded.path == legacy and loaded.master == b"L" * 48
    assert "déplacez" in caplog.text and "move this file" in caplog.text
    assert str(data / "secret.key") in caplog.text
    # Once moved (or present in DATA_DIR anyway), DATA_DIR wins.
    write_key_file(data / "secret.key", b64(b"D" * 48))
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="rtes_bot.keys"):
        loaded = keys.load_key(settings)
    assert loaded is not None and loaded.path == data / "secret.key"
    assert loaded.master == b"D" * 48
    assert "move" not in caplog.text


def test_without_sqlite_outside_the_data_folder_there_is_no_legacy_location(
    tmp_path: Path,
) -> None:
    write_key_file(tmp_path / "secret.key", b64(b"k" * 48))  # not DATA_DIR, not legacy
    settings = settings_for(tmp_path / "data", "postgresql+asyncpg://rtes@127.0.0.1/rtes")
    assert keys.load_key(settings) is None


# --- the start-up rule ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "stored", "polls", "action"),
    [
        ("a", "a", True, KeyAction.USE),
        ("a", "a", False, KeyAction.USE),
        ("b", "a", True, KeyAction.REFUSE),
        (None, "a", True, KeyAction.REFUSE),
        ("b", "a", False, KeyAction.REPLACE),
        (None, "a", False, KeyAction.REPLACE),
        (None, None, True, KeyAction.REFUSE),
        (None, None, False, KeyAction.GENERATE),
        ("a", None, True, KeyAction.STORE),
        ("a", None, False, KeyAction.STORE),
    ],
)
def test_decide(key: str | None, stored: str | None, polls: bool, action: KeyAction) -> None:
    assert decide(key_fingerprint=key, stored_fingerprint=stored, has_polls=polls) is action


async def test_first_start_generates_the_key_and_records_its_fingerprint(
    database: Database, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    data = tmp_path / "data"
    settings = settings_for(data, database.url)
    with caplog.at_level(logging.INFO, logger="rtes_bot.keys"):
        master = await keys.ensure_master_key(settings, database)
    path = data / "secret.key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert decode_key(path.read_text(encoding="ascii")) == master and len(master) >= 32
    assert await recorded(database) == fingerprint(master)
    assert str(path) in caplog.text
    assert "À PART de la base de données" in caplog.text and "APART from the" in caplog.text
    # Next start: same key, nothing generated, nothing logged above INFO.
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="rtes_bot.keys"):
        assert await keys.ensure_master_key(settings, database) == master
    assert caplog.text == ""


async def test_a_matching_key_from_secret_key_is_used(database: Database, tmp_path: Path) -> None:
    key_text = secrets.token_urlsafe(48)
    settings = settings_for(tmp_path, database.url, key_text)
    await record_fingerprint(database, fingerprint(decode_key(key_text)))
    await add_poll(database)
    assert await keys.ensure_master_key(settings, database) == decode_key(key_text)
    assert not (tmp_path / "secret.key").exists()


async def test_an_existing_database_with_polls_records_the_present_key(
    database: Database, tmp_path: Path
) -> None:
    """Upgrading from a version without fingerprint: the key in place is taken as the one."""
    write_key_file(tmp_path / "secret.key", secrets.token_urlsafe(48))
    await add_poll(database)
    master = await keys.ensure_master_key(settings_for(tmp_path, database.url), database)
    assert await recorded(database) == fingerprint(master)


async def test_no_fingerprint_no_key_and_polls_is_refused(
    database: Database, tmp_path: Path
) -> None:
    await add_poll(database)
    with pytest.raises(SecretKeyError) as caught:
        await keys.ensure_master_key(settings_for(tmp_path, database.url), database)
    message = str(caught.value)
    refusal_checks(message)
    assert "inconnue" in message and "unknown" in message
    assert str(tmp_path / "secret.key") in message
    assert not (tmp_path / "secret.key").exists()
    assert await recorded(database) is None


async def test_a_missing_key_is_refused_while_polls_exist(
    database: Database, tmp_path: Path
) -> None:
    original = secrets.token_bytes(48)
    await record_fingerprint(database, fingerprint(original))
    await add_poll(database)
    with pytest.raises(SecretKeyError) as caught:
        await keys.ensure_master_key(settings_for(tmp_path, database.url), database)
    message = str(caught.value)
    refusal_checks(message)
    assert str(tmp_path / "secret.key") in message and "SECRET_KEY" in message
    assert f"Empreinte attendue : {fingerprint(original)[:8]} ; trouvée : aucune clé" in message
    assert f"Expected fingerprint: {fingerprint(original)[:8]}; found: no key" in message
    assert "sauvegarde" in message and "backup" in message
    assert not (tmp_path / "secret.key").exists()
    assert await recorded(database) == fingerprint(original)


async def test_a_different_key_is_refused_while_polls_exist(
    database: Database, tmp_path: Path
) -> None:
    original = secrets.token_bytes(48)
    await record_fingerprint(database, fingerprint(original))
    await add_poll(database)
    other = secrets.token_urlsafe(48)
    write_key_file(tmp_path / "secret.key", other)
    with pytest.raises(SecretKeyError) as caught:
        await keys.ensure_master_key(settings_for(tmp_path, database.url), database)
    message = str(caught.value)
    refusal_checks(message)
    expected, found = fingerprint(original)[:8], fingerprint(decode_key(other))[:8]
    assert f"Empreinte attendue : {expected} ; trouvée : {found}" in message
    assert f"Expected fingerprint: {expected}; found: {found}" in message
    assert str(tmp_path / "secret.key") in message
    assert await recorded(database) == fingerprint(original)
    # From SECRET_KEY: the message names the variable and says to put its value back.
    with pytest.raises(SecretKeyError) as caught:
        await keys.ensure_master_key(settings_for(tmp_path, database.url, other), database)
    assert "remettez dans SECRET_KEY la valeur d'origine" in str(caught.value)
    assert "back into SECRET_KEY" in str(caught.value)


async def test_a_missing_key_without_polls_is_generated_and_replaces_the_fingerprint(
    database: Database, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    original = fingerprint(secrets.token_bytes(48))
    await record_fingerprint(database, original)
    with caplog.at_level(logging.WARNING, logger="rtes_bot.keys"):
        master = await keys.ensure_master_key(settings_for(tmp_path, database.url), database)
    assert decode_key((tmp_path / "secret.key").read_text(encoding="ascii")) == master
    assert await recorded(database) == fingerprint(master)
    assert original[:8] in caplog.text and fingerprint(master)[:8] in caplog.text
    assert "aucun scrutin" in caplog.text and "no poll" in caplog.text


async def test_a_different_key_without_polls_is_adopted_with_a_warning(
    database: Database, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    original = fingerprint(secrets.token_bytes(48))
    await record_fingerprint(database, original)
    key_text = secrets.token_urlsafe(32)
    with caplog.at_level(logging.WARNING, logger="rtes_bot.keys"):
        master = await keys.ensure_master_key(
            settings_for(tmp_path, database.url, key_text), database
        )
    assert master == decode_key(key_text)
    assert await recorded(database) == fingerprint(master)
    assert "a changé" in caplog.text and "changed" in caplog.text


async def test_a_fingerprint_recorded_meanwhile_by_another_process_is_not_overwritten(
    database: Database, tmp_path: Path
) -> None:
    """INSERT … ON CONFLICT DO NOTHING, read back: the other process's key wins, this one is
    refused."""
    theirs = fingerprint(secrets.token_bytes(48))
    await record_fingerprint(database, theirs)
    mine = keys.LoadedKey(master=secrets.token_bytes(48), path=tmp_path / "secret.key")
    with pytest.raises(SecretKeyError):
        await keys._store_fingerprint(settings_for(tmp_path, database.url), database, mine)
    assert await recorded(database) == theirs


async def test_two_first_starts_at_once_share_one_key(database_url: str, tmp_path: Path) -> None:
    settings = settings_for(tmp_path, database_url)
    first, second = Database(database_url), Database(database_url)
    try:
        masters = await asyncio.gather(
            keys.ensure_master_key(settings, first), keys.ensure_master_key(settings, second)
        )
    finally:
        await first.dispose()
        await second.dispose()
    assert masters[0] == masters[1]
    database = Database(database_url)
    try:
        assert await recorded(database) == fingerprint(masters[0])
    finally:
        await database.dispose()


# --- command line ---------------------------------------------------------------------------


def test_key_generate_prints_a_key_of_at_least_256_bits() -> None:
    runner = CliRunner()
    outputs = [runner.invoke(main, ["key", "generate"]) for _ in range(2)]
    for result in outputs:
        assert result.exit_code == 0, result.output
        key_text = result.output.strip()
        assert len(decode_key(key_text)) >= 32
        assert len(base64.urlsafe_b64decode(key_text + "=" * (-len(key_text) % 4))) >= 32
    assert outputs[0].output != outputs[1].output


def test_key_fingerprint_of_a_backup_file(tmp_path: Path) -> None:
    key_text = secrets.token_urlsafe(48)
    write_key_file(tmp_path / "backup.key", key_text)
    result = CliRunner().invoke(
        main, ["key", "fingerprint", "--file", str(tmp_path / "backup.key")]
    )
    assert result.exit_code == 0, result.output
    assert result.output.strip() == fingerprint(decode_key(key_text))


def _cli_env(data_dir: Path, database_url: str, secret_key: str = "") -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DATA_DIR": str(data_dir),
        "SECRET_KEY": secret_key,
        "DISCORD_TOKEN": "x",
        "PYTHONUNBUFFERED": "1",
    }


async def test_check_verifies_the_key_against_the_database(
    database: Database, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    original = secrets.token_urlsafe(48)
    await record_fingerprint(database, fingerprint(decode_key(original)))
    await add_poll(database)
    code, out, err = await run_command(
        ["check", "--offline"], _cli_env(data, database.url, original), cwd=tmp_path
    )
    assert code == 0, out + err
    assert "conforme" in out and "matches" in out
    code, out, err = await run_command(
        ["check", "--offline"], _cli_env(data, database.url), cwd=tmp_path
    )
    assert code == 3, out + err
    refusal_checks(err)
    assert "Traceback" not in out + err
    code, out, err = await run_command(
        ["check", "--offline"],
        _cli_env(data, database.url, secrets.token_urlsafe(48)),
        cwd=tmp_path,
    )
    assert code == 3, out + err
    refusal_checks(err)


# --- the real bot, as a process -------------------------------------------------------------


async def test_the_bot_refuses_to_start_without_its_key_while_polls_exist(
    emulator, database_url: str, tmp_path: Path
) -> None:
    guild = emulator.create_guild("RTES", community=True)
    data = tmp_path / "data"
    key_path = data / "secret.key"
    launch = dict(
        database_url=database_url, guild_id=guild.id, data_dir=data, secret_key="", token=TEST_TOKEN
    )
    env = {
        **os.environ,
        "DISCORD_TOKEN": TEST_TOKEN,
        "DATABASE_URL": database_url,
        "GUILD_IDS": str(guild.id),
        "SECRET_KEY": "",
        "DATA_DIR": str(data),
        "LOG_LEVEL": "INFO",
        "PYTHONUNBUFFERED": "1",
    }

    # First start: the key is generated in DATA_DIR, owner-only, and its fingerprint recorded.
    first = await start_bot_process(emulator.port, name="first", **launch)  # type: ignore[arg-type]
    try:
        await emulator.wait_connected(1, timeout=60)
    finally:
        await first.terminate()
    assert "Traceback" not in first.log(), first.log()
    assert str(key_path) in first.log()
    assert stat.S_IMODE(key_path.stat().st_mode) == 0o600
    original_text = key_path.read_text(encoding="ascii")
    original = decode_key(original_text)
    database = Database(database_url)
    try:
        assert await recorded(database) == fingerprint(original)
        await add_poll(database)
    finally:
        await database.dispose()
    await emulator.wait_for(lambda: not emulator.connected, timeout=10)

    # The key file is lost: refused, with the bilingual message and no traceback.
    key_path.unlink()
    code, out, err = await run_command(["run"], env, port=emulator.port)
    assert code == 3, out + err
    refusal_checks(err)
    assert str(key_path) in err and fingerprint(original)[:8] in err
    assert "Traceback" not in out + err
    assert not key_path.exists()

    # Another key in its place: refused too.
    other = secrets.token_urlsafe(48)
    write_key_file(key_path, other)
    code, out, err = await run_command(["run"], env, port=emulator.port)
    assert code == 3, out + err
    refusal_checks(err)
    assert fingerprint(original)[:8] in err and fingerprint(decode_key(other))[:8] in err
    assert "Traceback" not in out + err
    assert not emulator.connected

    # The right key restored: the bot starts.
    key_path.unlink()
    write_key_file(key_path, original_text.strip())
    restored = await start_bot_process(emulator.port, name="restored", **launch)  # type: ignore[arg-type]
    try:
        await emulator.wait_connected(1, timeout=60)
    finally:
        await restored.terminate()
    assert "Traceback" not in restored.log(), restored.log()
    assert "Démarrage refusé" not in restored.log()
