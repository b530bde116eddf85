"""The server's secret key: where it is, how it is written, and the check that it is never lost or
replaced silently.

Secret ballots are sealed with keys derived from one **master key** (`RtesBot.secret_key`, raw
bytes). It comes from `SECRET_KEY` (environment or `.env`) or from the file `DATA_DIR/secret.key`
(earlier versions wrote it beside the SQLite file: still read there, with a warning to move it).

Rules:
- Key text: URL-safe base64 (padding optional; the standard `+/` alphabet is accepted too) or
  hexadecimal (only hex digits, even length), decoding to at least 32 bytes (256 bits). The master
  key is the decoded bytes. `secrets.token_urlsafe(48)` keys (64 characters, 48 bytes: what
  earlier versions generated and what `rtes-bot key generate` prints) are valid.
- The key file must be readable and writable by its owner only: a file open to group or others is
  set to 0600 with a warning; if that fails, the bot refuses to start.
- New keys are written with `O_EXCL` and mode 0600 (two processes starting at once share one key).
- The database keeps the key's **fingerprint** (`instance_key`, one row):
  `HMAC-SHA256(master key, "rtes-bot key fingerprint v1")`, never the key nor a plain hash of it.
  At start (`ensure_master_key`), a missing or different key is refused while the database holds
  any poll (`SecretKeyError`, message in French then English); without polls the new key is
  accepted (or generated) and the fingerprint replaced, with a warning.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import enum
import hashlib
import hmac
import logging
import os
import re
import secrets
import stat
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, text, update
from sqlalchemy.exc import DBAPIError
from sqlmodel import col

from rtes_bot.models.base import utcnow
from rtes_bot.models.keys import INSTANCE_KEY_ID, InstanceKey

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from rtes_bot.db import Database
    from rtes_bot.settings import Settings

log = logging.getLogger(__name__)

#: the shortest master key accepted, in bytes (256 bits)
MIN_KEY_BYTES = 32
#: random bytes in a generated key (`secrets.token_urlsafe(48)`: 64 characters)
GENERATED_KEY_BYTES = 48
#: the message the fingerprint HMAC is computed on
FINGERPRINT_CONTEXT = b"rtes-bot key fingerprint v1"
#: hex characters of a fingerprint shown in messages
SHORT_FINGERPRINT = 8

GENERATE_HINT_FR = "Générez une clé avec : rtes-bot key generate"
GENERATE_HINT_EN = "Generate a key with: rtes-bot key generate"

_HEX = re.compile(r"[0-9a-fA-F]+")
_BASE64 = re.compile(r"[A-Za-z0-9_\-+/]+")
_TO_STANDARD_BASE64 = str.maketrans("-_", "+/")


class SecretKeyError(Exception):
    """The secret key is invalid, unreadable, or not the one that sealed the database's polls.

    `str(error)` is the whole message for the operator, in French then in English."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class KeyAction(enum.StrEnum):
    """What to do at start, from the key found, the stored fingerprint and the polls."""

    USE = "use"  # the key matches the stored fingerprint
    STORE = "store"  # no fingerprint yet: record the present key's
    GENERATE = "generate"  # no key, no fingerprint, no poll: generate a key, record it
    REPLACE = "replace"  # key missing or different, no poll: accept or generate it, record it
    REFUSE = "refuse"  # key missing or different (or unknown) while polls exist


@dataclass(frozen=True)
class LoadedKey:
    """A master key and where it came from (`path` None: `SECRET_KEY`)."""

    master: bytes = field(repr=False)
    path: Path | None = None

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.master)

    @property
    def from_environment(self) -> bool:
        return self.path is None

    def describe_fr(self) -> str:
        return "la variable SECRET_KEY" if self.path is None else f"le fichier {_shown(self.path)}"

    def describe_en(self) -> str:
        return "the SECRET_KEY variable" if self.path is None else f"the file {_shown(self.path)}"


# --- format ---------------------------------------------------------------------------------


def generate_key_text() -> str:
    """A new key's text: `secrets.token_urlsafe(48)` (64 URL-safe base64 characters, 384 bits)."""
    return secrets.token_urlsafe(GENERATED_KEY_BYTES)


def fingerprint(master: bytes) -> str:
    """`HMAC-SHA256(master, "rtes-bot key fingerprint v1")` in hex: names a key without revealing
    it (and unlike a plain hash, is useless to test guesses of a key elsewhere)."""
    return hmac.new(master, FINGERPRINT_CONTEXT, hashlib.sha256).hexdigest()


def short(fingerprint_hex: str | None) -> str:
    return fingerprint_hex[:SHORT_FINGERPRINT] if fingerprint_hex else "—"


def _decode_base64(body: str) -> bytes:
    body = body.rstrip("=")
    if not _BASE64.fullmatch(body) or len(body) % 4 == 1:
        raise ValueError("not base64")
    standard = body.translate(_TO_STANDARD_BASE64)
    try:
        return base64.b64decode(standard + "=" * (-len(standard) % 4), validate=True)
    except binascii.Error as error:
        raise ValueError("not base64") from error


def decode_key(
    key_text: str, *, origin_fr: str = "SECRET_KEY", origin_en: str = "SECRET_KEY"
) -> bytes:
    """The master key encoded by `key_text` (hex if it is only hex digits of even length, else
    URL-safe base64 with optional padding); `SecretKeyError` unless it is at least 32 bytes.

    `origin_*` name where the text came from, in the error message."""
    value = key_text.strip()
    if not value:
        raise _format_error(origin_fr, origin_en, "elle est vide", "it is empty")
    try:
        if _HEX.fullmatch(value) and len(value) % 2 == 0:
            master = bytes.fromhex(value)
        else:
            master = _decode_base64(value)
    except ValueError:
        raise _format_error(
            origin_fr,
            origin_en,
            "ce n'est ni du base64 URL-safe ni de l'hexadécimal",
            "it is neither URL-safe base64 nor hexadecimal",
        ) from None
    if len(master) < MIN_KEY_BYTES:
        raise _format_error(
            origin_fr,
            origin_en,
            f"elle ne fait que {len(master)} octet(s) ({len(master) * 8} bits) une fois décodée",
            f"it decodes to only {len(master)} byte(s) ({len(master) * 8} bits)",
        )
    return master


def _format_error(origin_fr: str, origin_en: str, reason_fr: str, reason_en: str) -> SecretKeyError:
    return SecretKeyError(
        f"{origin_fr} n'est pas une clé secrète valide : {reason_fr}.\n"
        f"  Une clé s'écrit en base64 URL-safe (« = » final facultatif) ou en hexadécimal, et fait\n"
        f"  au moins {MIN_KEY_BYTES} octets ({MIN_KEY_BYTES * 8} bits) une fois décodée.\n"
        f"  {GENERATE_HINT_FR}\n"
        f"  Si des scrutins existent déjà, ne changez pas de clé : remettez celle d'origine.\n"
        f"\n"
        f"{origin_en} is not a valid secret key: {reason_en}.\n"
        f"  A key is written in URL-safe base64 (trailing '=' optional) or in hexadecimal, and\n"
        f"  decodes to at least {MIN_KEY_BYTES} bytes ({MIN_KEY_BYTES * 8} bits).\n"
        f"  {GENERATE_HINT_EN}\n"
        f"  If polls already exist, do not change the key: put the original one back."
    )


# --- files ----------------------------------------------------------------------------------


def _shown(path: Path) -> str:
    """A path as shown to the operator: absolute, so that it does not depend on where they stand."""
    return str(path.absolute())


def _secret_key_text(settings: Settings) -> str | None:
    if settings.secret_key is None:
        return None
    value = settings.secret_key.get_secret_value().strip()
    return value or None


def _fix_permissions(path: Path) -> None:
    """Owner-only: a key file open to group or others is set to 0600 (warning), else refused."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError as error:
        raise _unreadable(path, error) from None
    if not mode & 0o077:
        return
    try:
        os.chmod(path, 0o600)
        fixed = stat.S_IMODE(path.stat().st_mode)
    except OSError as error:
        raise _open_permissions(path, mode, f"{type(error).__name__}: {error}") from None
    if fixed & 0o077:  # e.g. a file system that ignores modes
        raise _open_permissions(path, mode, f"mode still {fixed:04o} after chmod")
    log.warning(
        "Le fichier de clé %s était accessible au groupe ou aux autres (mode %04o) : droits "
        "ramenés à 0600. / The key file %s was readable or writable by group or others "
        "(mode %04o): permissions set to 0600.",
        _shown(path),
        mode,
        _shown(path),
        mode,
    )


def _open_permissions(path: Path, mode: int, detail: str) -> SecretKeyError:
    shown = _shown(path)
    return SecretKeyError(
        f"Le fichier de clé {shown} est accessible au groupe ou aux autres (mode {mode:04o}) et\n"
        f"  ses droits n'ont pas pu être ramenés à 0600 ({detail}).\n"
        f"  Le bot refuse une clé que d'autres comptes peuvent lire : exécutez\n"
        f"  « chmod 600 {shown} » en tant que propriétaire du fichier, puis relancez.\n"
        f"\n"
        f"The key file {shown} is readable or writable by group or others (mode {mode:04o}) and\n"
        f"  its permissions could not be set to 0600 ({detail}).\n"
        f"  The bot refuses a key other accounts can read: run 'chmod 600 {shown}' as the\n"
        f"  file's owner, then start again."
    )


def _unreadable(path: Path, error: BaseException) -> SecretKeyError:
    shown = _shown(path)
    detail = f"{type(error).__name__}: {error}"
    return SecretKeyError(
        f"Le fichier de clé {shown} ne peut pas être lu ({detail}).\n"
        f"\n"
        f"The key file {shown} cannot be read ({detail})."
    )


def read_key_file(path: Path, *, fix_permissions: bool = True) -> bytes:
    """The master key in `path` (permissions checked and fixed first, unless told not to)."""
    if fix_permissions:
        _fix_permissions(path)
    try:
        content = path.read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError) as error:
        raise _unreadable(path, error) from None
    shown = _shown(path)
    return decode_key(content, origin_fr=f"Le fichier {shown}", origin_en=f"The file {shown}")


def load_key(settings: Settings) -> LoadedKey | None:
    """The configured key: `SECRET_KEY`, else `DATA_DIR/secret.key`, else the file at the legacy
    location (beside the SQLite file; warning); None when there is none. `SecretKeyError` when
    the key is invalid or its file unreadable or open to others."""
    key_text = _secret_key_text(settings)
    path = settings.secret_key_path()
    if key_text is not None:
        if path.exists():
            log.info(
                "SECRET_KEY est défini : %s est ignoré. / SECRET_KEY is set: %s is ignored.",
                _shown(path),
                _shown(path),
            )
        return LoadedKey(master=decode_key(key_text))
    if path.exists():
        return LoadedKey(master=read_key_file(path), path=path)
    legacy = settings.legacy_secret_key_path()
    if legacy is not None and legacy.exists():
        master = read_key_file(legacy)
        log.warning(
            "Clé secrète lue à l'ancien emplacement %s : déplacez ce fichier dans DATA_DIR (%s). "
            "/ Secret key read from its old location %s: move this file into DATA_DIR (%s).",
            _shown(legacy),
            _shown(path),
            _shown(legacy),
            _shown(path),
        )
        return LoadedKey(master=master, path=legacy)
    return None


def write_new_key(path: Path) -> LoadedKey:
    """Generate a key into `path` (created with O_EXCL, mode 0600). If another process created
    the file first, its key is used instead (read once it is complete)."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    key_text = generate_key_text()
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags, 0o600)
    except FileExistsError:
        return LoadedKey(master=_read_when_complete(path), path=path)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(key_text + "\n")
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    _fsync_folder(path.parent)
    return LoadedKey(master=decode_key(key_text), path=path)


def _read_when_complete(path: Path, timeout: float = 5.0) -> bytes:
    """Read a key file another process is writing right now (empty for a few microseconds)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return read_key_file(path)
        except SecretKeyError:
            if time.monotonic() >= deadline:
                raise
            time.sleep(0.05)


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# --- the database's fingerprint -------------------------------------------------------------


def decide(
    *, key_fingerprint: str | None, stored_fingerprint: str | None, has_polls: bool
) -> KeyAction:
    """The start-up rule (`key_fingerprint` None: no key configured)."""
    if stored_fingerprint is not None:
        if key_fingerprint is not None and hmac.compare_digest(key_fingerprint, stored_fingerprint):
            return KeyAction.USE
        return KeyAction.REFUSE if has_polls else KeyAction.REPLACE
    if key_fingerprint is None:
        return KeyAction.REFUSE if has_polls else KeyAction.GENERATE
    return KeyAction.STORE


async def stored_fingerprint(session: AsyncSession) -> str | None:
    result = await session.execute(
        select(col(InstanceKey.fingerprint)).where(col(InstanceKey.id) == INSTANCE_KEY_ID)
    )
    return result.scalar_one_or_none()


async def has_polls(session: AsyncSession) -> bool:
    return (await session.execute(text("SELECT 1 FROM poll LIMIT 1"))).first() is not None


async def _read_state(database: Database) -> tuple[str | None, bool]:
    async with database.read() as session:
        return await stored_fingerprint(session), await has_polls(session)


def refusal(settings: Settings, *, stored: str | None, found: LoadedKey | None) -> SecretKeyError:
    """The start refusal: where the key was expected, expected vs found fingerprints, what to
    restore, and that the key must never be replaced while polls exist."""
    path = settings.secret_key_path()
    shown = _shown(path)
    if found is not None:
        where_fr, where_en = found.describe_fr(), found.describe_en()
        found_fp = short(found.fingerprint)
        if stored is None:  # not reachable from `decide`, kept total
            title_fr = "la clé secrète ne peut pas être vérifiée"
            title_en = "the secret key cannot be checked"
        else:
            title_fr = (
                "la clé secrète n'est pas celle qui a scellé les scrutins de la base de données"
            )
            title_en = "the secret key is not the one that sealed the database's polls"
        if found.from_environment:
            restore_fr = "remettez dans SECRET_KEY la valeur d'origine (celle de votre sauvegarde)"
            restore_en = "put the original value (from your backup) back into SECRET_KEY"
        else:
            restore_fr = (
                f"remplacez {_shown(found.path or path)} par le fichier secret.key de votre "
                f"sauvegarde (ou mettez sa valeur dans SECRET_KEY)"
            )
            restore_en = (
                f"replace {_shown(found.path or path)} with the secret.key file from your backup "
                f"(or put its value in SECRET_KEY)"
            )
        found_fr, found_en = f"{found_fp} ({where_fr})", f"{found_fp} ({where_en})"
    else:
        where_fr = f"le fichier {shown} (ou la variable SECRET_KEY)"
        where_en = f"the file {shown} (or the SECRET_KEY variable)"
        found_fr, found_en = "aucune clé", "no key"
        if stored is None:
            title_fr = (
                "la clé secrète est introuvable, et la base de données contient des scrutins "
                "scellés avec une clé dont l'empreinte n'a pas été enregistrée"
            )
            title_en = (
                "the secret key is missing, and the database holds polls sealed with a key "
                "whose fingerprint was never recorded"
            )
        else:
            title_fr = (
                "la clé secrète est introuvable, alors que la base de données contient des scrutins"
            )
            title_en = "the secret key is missing, while the database holds polls"
        restore_fr = (
            f"restaurez le fichier secret.key de votre sauvegarde en {shown} "
            f"(ou mettez sa valeur dans SECRET_KEY)"
        )
        restore_en = (
            f"restore the secret.key file from your backup to {shown} "
            f"(or put its value in SECRET_KEY)"
        )
    expected_fr = short(stored) if stored else "inconnue (jamais enregistrée)"
    expected_en = short(stored) if stored else "unknown (never recorded)"
    return SecretKeyError(
        f"Démarrage refusé : {title_fr}.\n"
        f"  Clé attendue dans : {where_fr}\n"
        f"  Empreinte attendue : {expected_fr} ; trouvée : {found_fr}\n"
        f"  À faire : {restore_fr}, puis relancez le bot.\n"
        f"  « rtes-bot key fingerprint --file FICHIER » affiche l'empreinte d'une clé sauvegardée.\n"
        f"  Ne remplacez jamais la clé tant que des scrutins existent : les bulletins secrets\n"
        f"  scellés avec elle ne pourraient plus être modifiés.\n"
        f"\n"
        f"Start refused: {title_en}.\n"
        f"  Key expected in: {where_en}\n"
        f"  Expected fingerprint: {expected_en}; found: {found_en}\n"
        f"  To do: {restore_en}, then start the bot again.\n"
        f"  'rtes-bot key fingerprint --file FILE' prints the fingerprint of a saved key.\n"
        f"  Never replace the key while polls exist: the secret ballots sealed with it could no\n"
        f"  longer be changed."
    )


def protect_storage(settings: Settings) -> None:
    """At start: owner-only umask, and the data folder (0700), the key files and the SQLite
    database with its journal, WAL and shared-memory files (0600) made owner-only where they
    grant anything to group or others (with a warning, as for the key file)."""
    from rtes_bot.db import (
        PRIVATE_FOLDER_MODE,
        make_private,
        private_umask,
        protect_files,
        sqlite_files,
    )

    private_umask()
    make_private(settings.data_dir, PRIVATE_FOLDER_MODE)
    legacy = settings.legacy_secret_key_path()
    protect_files([settings.secret_key_path(), *([legacy] if legacy else [])])
    protect_files(sqlite_files(settings.effective_database_url))


async def ensure_master_key(settings: Settings, database: Database) -> bytes:
    """At start, after the migrations: the master key, checked against the database's
    fingerprint (generated, and its fingerprint recorded, when there is none and no poll).

    Raises `SecretKeyError` when the key is invalid, or missing or different while polls exist."""
    protect_storage(settings)
    loaded = await asyncio.to_thread(load_key, settings)
    stored, polls = await _read_state(database)
    action = decide(
        key_fingerprint=loaded.fingerprint if loaded else None,
        stored_fingerprint=stored,
        has_polls=polls,
    )
    if action is KeyAction.USE:
        assert loaded is not None
        return loaded.master
    if action is KeyAction.REFUSE:
        raise refusal(settings, stored=stored, found=loaded)
    if loaded is None:  # GENERATE, or REPLACE of a missing key
        loaded = await asyncio.to_thread(write_new_key, settings.secret_key_path())
        log.warning(
            "Nouvelle clé secrète générée dans %s (lisible par le seul propriétaire). "
            "Sauvegardez-la À PART de la base de données : qui détient les deux peut lire les votes "
            "secrets des scrutins ouverts ; qui la perd ne peut plus laisser modifier les votes "
            "des scrutins ouverts, et le bot refuse alors de démarrer. "
            "/ A new secret key was generated in %s (owner-only). Back it up APART from the "
            "database: whoever holds both can read the secret ballots of open polls; whoever "
            "loses it cannot let voters change their ballots in open polls, and the bot then "
            "refuses to start.",
            _shown(loaded.path or settings.secret_key_path()),
            _shown(loaded.path or settings.secret_key_path()),
        )
    if action is KeyAction.REPLACE:
        assert stored is not None
        await _replace_fingerprint(settings, database, stored, loaded)
        log.warning(
            "La clé secrète a changé (empreinte %s, enregistrée %s) ; aucun scrutin dans la base "
            "de données : la nouvelle clé (%s) est adoptée. / The secret key changed (fingerprint "
            "%s, recorded %s); no poll in the database: the new key (%s) is adopted.",
            short(loaded.fingerprint),
            short(stored),
            loaded.describe_fr(),
            short(loaded.fingerprint),
            short(stored),
            loaded.describe_en(),
        )
        return loaded.master
    await _store_fingerprint(settings, database, loaded)
    log.info(
        "Empreinte de la clé secrète enregistrée dans la base de données : %s (%s). / Secret key "
        "fingerprint recorded in the database: %s (%s).",
        short(loaded.fingerprint),
        loaded.describe_fr(),
        short(loaded.fingerprint),
        loaded.describe_en(),
    )
    return loaded.master


def _insert_ignoring_conflict(database: Database, fingerprint_hex: str) -> Any:
    if database.is_sqlite:
        from sqlalchemy.dialects.sqlite import insert
    else:
        from sqlalchemy.dialects.postgresql import insert  # type: ignore[assignment]
    return (
        insert(InstanceKey)
        .values(id=INSTANCE_KEY_ID, fingerprint=fingerprint_hex, created_at=utcnow())
        .on_conflict_do_nothing(index_elements=["id"])
    )


async def _store_fingerprint(settings: Settings, database: Database, loaded: LoadedKey) -> None:
    """INSERT … ON CONFLICT DO NOTHING, then read it back: if another process starting at the
    same time recorded another key, refuse."""
    async with database.begin() as session:
        await session.execute(_insert_ignoring_conflict(database, loaded.fingerprint))
    await _confirm(settings, database, loaded)


async def _replace_fingerprint(
    settings: Settings, database: Database, previous: str, loaded: LoadedKey
) -> None:
    """Replace the recorded fingerprint, if it is still `previous` and there is still no poll."""
    async with database.begin() as session:
        if await has_polls(session):
            raise refusal(settings, stored=previous, found=loaded)
        await session.execute(
            update(InstanceKey)
            .where(col(InstanceKey.id) == INSTANCE_KEY_ID)
            .where(col(InstanceKey.fingerprint) == previous)
            .values(fingerprint=loaded.fingerprint, created_at=utcnow())
        )
    await _confirm(settings, database, loaded)


async def _confirm(settings: Settings, database: Database, loaded: LoadedKey) -> None:
    async with database.read() as session:
        recorded = await stored_fingerprint(session)
    if recorded is None or not hmac.compare_digest(recorded, loaded.fingerprint):
        raise refusal(settings, stored=recorded, found=loaded)


# --- `rtes-bot check` -----------------------------------------------------------------------


async def check_master_key(settings: Settings, database: Database | None) -> str:
    """What the next start will do with the key, without writing anything but a permissions fix
    (`database` None: unreachable, only the key itself is checked). A one-line report in French
    and English; `SecretKeyError` when the start would be refused."""
    loaded = await asyncio.to_thread(load_key, settings)
    if loaded is None:
        where = _shown(settings.secret_key_path())
        found_fr = f"aucune clé (ni SECRET_KEY, ni {where})"
        found_en = f"no key (neither SECRET_KEY nor {where})"
    else:
        found_fr = f"{loaded.describe_fr()}, empreinte {short(loaded.fingerprint)}"
        found_en = f"{loaded.describe_en()}, fingerprint {short(loaded.fingerprint)}"
    if database is None:
        return f"Clé secrète : {found_fr}. / Secret key: {found_en}."
    try:
        async with database.read() as session:
            stored = await stored_fingerprint(session)
    except DBAPIError:
        return (
            f"Clé secrète : {found_fr} ; table instance_key absente (rtes-bot db upgrade). "
            f"/ Secret key: {found_en}; no instance_key table (rtes-bot db upgrade)."
        )
    async with database.read() as session:
        polls = await has_polls(session)
    action = decide(
        key_fingerprint=loaded.fingerprint if loaded else None,
        stored_fingerprint=stored,
        has_polls=polls,
    )
    if action is KeyAction.REFUSE:
        raise refusal(settings, stored=stored, found=loaded)
    if action is KeyAction.REPLACE and loaded is None:
        action = KeyAction.GENERATE  # a new key, which will replace the recorded fingerprint
    outcome_fr, outcome_en = {
        KeyAction.USE: ("conforme à l'empreinte de la base", "matches the database's fingerprint"),
        KeyAction.STORE: (
            "son empreinte sera enregistrée au démarrage",
            "its fingerprint will be recorded at start",
        ),
        KeyAction.GENERATE: (
            "une clé sera générée au démarrage (à sauvegarder à part de la base)"
            + (f" et remplacera l'empreinte {short(stored)} (aucun scrutin)" if stored else ""),
            "a key will be generated at start (back it up apart from the database)"
            + (f" and replace the fingerprint {short(stored)} (no poll)" if stored else ""),
        ),
        KeyAction.REPLACE: (
            f"différente de l'empreinte enregistrée {short(stored)} ; aucun scrutin : elle la "
            f"remplacera au démarrage",
            f"differs from the recorded fingerprint {short(stored)}; no poll: it will replace it "
            f"at start",
        ),
    }[action]
    return f"Clé secrète : {found_fr} — {outcome_fr}. / Secret key: {found_en} — {outcome_en}."
