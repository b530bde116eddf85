"""Collectivités: CSV import (all or nothing), matching what an élu typed, lookups.

The CSV format is documented in ``docs/collectivites-csv.md``. :func:`parse_csv` is pure: it
returns the rows it understood and, for each invalid line, its number and the reasons (catalog
keys with parameters). :func:`import_csv` writes nothing when any line is invalid; otherwise it
updates the collectivités it recognises (same code, else same folded name) and creates the others.
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
from dataclasses import dataclass, field
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from rtes_bot import matching
from rtes_bot.catalog import Parts, t
from rtes_bot.errors import InvalidInput, NotFound
from rtes_bot.models import Collectivite, CollectiviteKind, MembershipStatus, utcnow
from rtes_bot.services import audit
from rtes_bot.text import clean_line, fold, shorten

#: `Collectivite.name_key` length: folding can lengthen a name (« ﷺ » folds to 18 letters)
NAME_KEY_LENGTH = 200


def name_key(name: str) -> str:
    """The accent- and case-free key that makes a collectivité's name unique in a network."""
    return fold(name)[:NAME_KEY_LENGTH]


_T = TypeVar("_T")

MAX_FILE_BYTES = 1_000_000
MAX_ROWS = 20_000
NAME_MAX = 200
PLACE_MAX = 100

COLUMNS = ("nom", "type", "code", "departement", "region", "statut", "poids")
REQUIRED_COLUMNS = ("nom", "type")

_KINDS = {
    "commune": CollectiviteKind.COMMUNE,
    "ville": CollectiviteKind.COMMUNE,
    "intercommunalite": CollectiviteKind.INTERCOMMUNALITE,
    "interco": CollectiviteKind.INTERCOMMUNALITE,
    "epci": CollectiviteKind.INTERCOMMUNALITE,
    "departement": CollectiviteKind.DEPARTEMENT,
    "region": CollectiviteKind.REGION,
    "pays": CollectiviteKind.PAYS,
    "autre": CollectiviteKind.AUTRE,
}
_STATUSES = {
    "adherente": MembershipStatus.ADHERENTE,
    "adherent": MembershipStatus.ADHERENTE,
    "associee": MembershipStatus.ASSOCIEE,
    "associe": MembershipStatus.ASSOCIEE,
    "ancienne": MembershipStatus.ANCIENNE,
    "ancien": MembershipStatus.ANCIENNE,
}
# INSEE commune (2A/2B for Corsica), département (2–3 characters), région (2 digits), SIREN (9 digits).
_CODE = re.compile(r"^(?:\d{2,3}|2[AB]|\d[\dAB]\d{3}|\d{9})$")


@dataclass(frozen=True)
class Problem:
    """One reason a line is refused: a catalog key and its parameters."""

    key: str
    params: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class RowError:
    line: int
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class Row:
    line: int
    name: str
    kind: str
    code: str | None
    departement: str | None
    region: str | None
    status: str
    weight: int

    @property
    def name_key(self) -> str:
        return name_key(self.name)


@dataclass
class Parsed:
    rows: list[Row]
    errors: list[RowError]


class ImportRefused(InvalidInput):
    """Some lines are invalid: nothing was written. ``errors`` says which lines and why."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__("collectivites.import.lignes-invalides", nombre=len(errors))
        self.errors = errors


def decode(data: bytes) -> str:
    """UTF-8 text, with or without BOM; anything else is refused with a precise message."""
    if len(data) > MAX_FILE_BYTES:
        raise InvalidInput("collectivites.import.trop-gros", max_ko=MAX_FILE_BYTES // 1000)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise InvalidInput("collectivites.import.encodage", ligne=line) from error
    if not text.strip():
        raise InvalidInput("collectivites.import.vide")
    return text


def _delimiter(header_line: str) -> str:
    return ";" if header_line.count(";") >= header_line.count(",") and ";" in header_line else ","


def parse_csv(data: bytes) -> Parsed:
    """Read a CSV file of collectivités. Raises ``InvalidInput`` for the file as a whole."""
    text = decode(data)
    first_line = text.lstrip("\r\n").splitlines()[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line))
    header: list[str] | None = None
    rows: list[Row] = []
    errors: list[RowError] = []
    seen_codes: dict[str, int] = {}
    seen_names: dict[str, int] = {}
    try:
        for record in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            if header is None:
                header = _read_header(record)
                continue
            if len(rows) + len(errors) >= MAX_ROWS:
                raise InvalidInput("collectivites.import.trop-de-lignes", max=MAX_ROWS)
            row, problems = _read_row(line, header, record)
            if row is not None:
                if row.code and row.code in seen_codes:
                    problems.append(
                        Problem(
                            "collectivites.import.code-en-double", {"ligne": seen_codes[row.code]}
                        )
                    )
                if row.name_key in seen_names:
                    problems.append(
                        Problem(
                            "collectivites.import.nom-en-double",
                            {"ligne": seen_names[row.name_key]},
                        )
                    )
            if problems:
                errors.append(RowError(line, tuple(problems)))
            elif row is not None:
                rows.append(row)
                if row.code:
                    seen_codes[row.code] = line
                seen_names[row.name_key] = line
    except csv.Error as error:
        raise InvalidInput(
            "collectivites.import.illisible", ligne=reader.line_num, detail=str(error)
        ) from error
    if header is None:
        raise InvalidInput("collectivites.import.vide")
    if not rows and not errors:
        raise InvalidInput("collectivites.import.aucune-ligne")
    return Parsed(rows=rows, errors=errors)


def _read_header(record: list[str]) -> list[str]:
    names = [fold(cell).replace(" ", "_") for cell in record]
    unknown = [
        cell.strip()
        for cell, name in zip(record, names, strict=True)
        if name and name not in COLUMNS
    ]
    missing = [column for column in REQUIRED_COLUMNS if column not in names]
    duplicated = sorted({name for name in names if name and names.count(name) > 1})
    if unknown or missing or duplicated:
        found = (
            ("inconnues", shorten(", ".join(unknown))),
            ("manquantes", ", ".join(missing)),
            ("doublons", ", ".join(duplicated)),
        )
        problems = Parts(
            *(
                (f"collectivites.import.colonnes.{part}", {"liste": names})
                for part, names in found
                if names
            )
        )
        raise InvalidInput(
            "collectivites.import.colonnes", problemes=problems, attendues=", ".join(COLUMNS)
        )
    return names


def _lookup(values: dict[str, _T], text: str) -> _T | None:
    """A value named in a cell: accents and case ignored, a plural « s » tolerated (« Régions »)."""
    folded = fold(text)
    found = values.get(folded)
    if found is None and folded.endswith("s"):
        found = values.get(folded[:-1])
    return found


def _read_row(line: int, header: list[str], record: list[str]) -> tuple[Row | None, list[Problem]]:
    problems: list[Problem] = []
    if len(record) > len(header) and any(cell.strip() for cell in record[len(header) :]):
        problems.append(Problem("collectivites.import.trop-de-cellules", {"attendu": len(header)}))
    values = {
        name: clean_line(record[index]) if index < len(record) else ""
        for index, name in enumerate(header)
    }
    name = values.get("nom", "")
    if not name:
        problems.append(Problem("collectivites.import.nom-vide"))
    elif len(name) > NAME_MAX:
        problems.append(Problem("collectivites.import.nom-trop-long", {"max": NAME_MAX}))
    kind_text = values.get("type", "")
    kind = _lookup(_KINDS, kind_text)
    if kind is None:
        problems.append(
            Problem(
                "collectivites.import.type-invalide",
                {"valeur": shorten(kind_text) or "—", "valeurs": ", ".join(CollectiviteKind)},
            )
        )
    code = values.get("code", "").replace(" ", "").upper() or None
    if code is not None and not _CODE.match(code):
        problems.append(Problem("collectivites.import.code-invalide", {"valeur": shorten(code)}))
    places = {}
    for column in ("departement", "region"):
        place = values.get(column, "") or None
        if place is not None and len(place) > PLACE_MAX:
            problems.append(
                Problem("collectivites.import.trop-long", {"colonne": column, "max": PLACE_MAX})
            )
        places[column] = place
    status_text = values.get("statut", "")
    status = _lookup(_STATUSES, status_text) if status_text else MembershipStatus.ADHERENTE
    if status is None:
        problems.append(
            Problem(
                "collectivites.import.statut-invalide",
                {"valeur": shorten(status_text), "valeurs": ", ".join(MembershipStatus)},
            )
        )
    weight_text = values.get("poids", "")
    weight = 1
    if weight_text:
        try:
            weight = int(weight_text)
        except ValueError:
            weight = 0
        if weight < 1 or weight > 1_000_000:
            problems.append(
                Problem("collectivites.import.poids-invalide", {"valeur": shorten(weight_text)})
            )
    if problems:
        return None, problems
    assert kind is not None and status is not None
    return (
        Row(
            line=line,
            name=name,
            kind=str(kind),
            code=code,
            departement=places["departement"],
            region=places["region"],
            status=str(status),
            weight=weight,
        ),
        problems,
    )


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


async def all_collectivites(session: AsyncSession, guild_id: int) -> list[Collectivite]:
    result = await session.execute(
        select(Collectivite)
        .where(col(Collectivite.guild_id) == guild_id)
        .order_by(col(Collectivite.name_key))
    )
    return list(result.scalars())


async def import_rows(
    session: AsyncSession, guild_id: int, rows: list[Row], actor_id: int | None
) -> ImportReport:
    """Create or update collectivités from parsed rows (match by code, else by folded name)."""
    existing = await all_collectivites(session, guild_id)
    by_code = {row.code: row for row in existing if row.code}
    by_name = {row.name_key: row for row in existing}
    report = ImportReport()
    for row in rows:
        target = (by_code.get(row.code) if row.code else None) or by_name.get(row.name_key)
        if target is not None and target.name_key != row.name_key and row.name_key in by_name:
            # Renaming onto another collectivité's name would break the unique name per guild.
            other = by_name[row.name_key]
            if other.id != target.id:
                raise ImportRefused(
                    [
                        RowError(
                            row.line,
                            (Problem("collectivites.import.conflit-nom", {"nom": other.name}),),
                        )
                    ]
                )
        values: dict[str, object] = {
            "name": row.name,
            "name_key": row.name_key,
            "kind": row.kind,
            "code": row.code,
            "departement": row.departement,
            "region": row.region,
            "status": row.status,
            "weight": row.weight,
        }
        if target is None:
            created = Collectivite(
                guild_id=guild_id,
                name=row.name,
                name_key=row.name_key,
                kind=row.kind,
                code=row.code,
                departement=row.departement,
                region=row.region,
                status=row.status,
                weight=row.weight,
            )
            session.add(created)
            by_name[row.name_key] = created
            if row.code:
                by_code[row.code] = created
            report.created.append(row.name)
            continue
        if row.code is None:
            values["code"] = target.code  # an empty cell does not erase a known code
        changed = {key: value for key, value in values.items() if getattr(target, key) != value}
        if not changed and not target.flagged_new:
            report.unchanged.append(row.name)
            continue
        by_name.pop(target.name_key, None)
        for key, value in changed.items():
            setattr(target, key, value)
        target.flagged_new = False  # now on the official list
        target.updated_at = utcnow()
        by_name[target.name_key] = target
        if target.code:
            by_code[target.code] = target
        report.updated.append(row.name)
    await session.flush()
    audit.record(
        session,
        guild_id,
        actor_id,
        "collectivites.imported",
        "collectivite",
        None,
        created=len(report.created),
        updated=len(report.updated),
        unchanged=len(report.unchanged),
    )
    return report


async def import_csv(
    session: AsyncSession, guild_id: int, data: bytes, actor_id: int | None
) -> ImportReport:
    """Parse and import; raises :class:`ImportRefused` (nothing written) when any line is invalid."""
    parsed = parse_csv(data)
    if parsed.errors:
        raise ImportRefused(parsed.errors)
    return await import_rows(session, guild_id, parsed.rows, actor_id)


def refusal_text(error: ImportRefused, locale: object, *, most: int | None = None) -> str:
    """Why an import was refused, line by line (only the first ``most`` lines when given)."""
    shown = error.errors if most is None else error.errors[:most]
    lines = [t("collectivites.import.lignes-invalides", locale, nombre=len(error.errors))]
    for row_error in shown:
        reasons = "; ".join(t(p.key, locale, **p.params) for p in row_error.problems)
        lines.append(t("collectivites.import.ligne", locale, ligne=row_error.line, raisons=reasons))
    if len(error.errors) > len(shown):
        lines.append(
            t("collectivites.import.autres", locale, nombre=len(error.errors) - len(shown))
        )
    lines.append(t("collectivites.import.rien-ecrit", locale))
    return "\n".join(lines)


def report_text(report: ImportReport, locale: object) -> str:
    """What an import did: created, updated, unchanged."""
    return t(
        "collectivites.import.fait",
        locale,
        creees=len(report.created),
        mises_a_jour=len(report.updated),
        inchangees=len(report.unchanged),
    )


# --------------------------------------------------------------------------- lookups


async def get_collectivite(
    session: AsyncSession, guild_id: int, collectivite_id: int
) -> Collectivite:
    row = await session.get(Collectivite, collectivite_id)
    if row is None or row.guild_id != guild_id:
        raise NotFound("collectivites.inconnue", nom=str(collectivite_id))
    return row


async def candidates(
    session: AsyncSession, guild_id: int, typed: str, *, limit: int = 5
) -> list[matching.Candidate[int]]:
    """Known collectivités matching what an élu typed, best first (former members excluded)."""
    rows = [
        row
        for row in await all_collectivites(session, guild_id)
        if row.status != MembershipStatus.ANCIENNE
    ]
    return matching.rank(
        typed, [(row.id, row.name) for row in rows if row.id is not None], limit=limit
    )


async def find_collectivite(session: AsyncSession, guild_id: int, typed: str) -> Collectivite:
    """An option's value: an id (autocomplete) or a name, matched tolerantly."""
    typed = clean_line(typed)
    if typed.isascii() and typed.isdigit() and len(typed) <= 9:
        with contextlib.suppress(NotFound):
            return await get_collectivite(session, guild_id, int(typed))
    found = matching.confident(await candidates(session, guild_id, typed[:NAME_MAX]))
    if found is None:
        raise NotFound("collectivites.inconnue", nom=shorten(typed))
    return await get_collectivite(session, guild_id, found.key)


async def search(
    session: AsyncSession, guild_id: int, typed: str, *, limit: int = 25
) -> list[Collectivite]:
    """Autocomplete: the best matches, or the first names when nothing is typed."""
    rows = await all_collectivites(session, guild_id)
    if not typed.strip():
        return rows[:limit]
    by_id = {row.id: row for row in rows}
    ranked = matching.rank(typed, [(row.id, row.name) for row in rows], limit=limit, cutoff=50)
    folded = fold(typed)
    contains = [
        row for row in rows if folded in row.name_key and row.id not in {c.key for c in ranked}
    ]
    return ([by_id[c.key] for c in ranked] + contains)[:limit]


async def declare_new(
    session: AsyncSession, guild_id: int, name: str, actor_id: int | None
) -> Collectivite:
    """A collectivité an élu declared (not on the list): created, flagged for the bureau.

    If one with the same folded name exists already, it is reused.
    """
    name = clean_line(name)
    if not name:
        raise InvalidInput("collectivites.nom-vide")
    if len(name) > NAME_MAX:
        raise InvalidInput("collectivites.import.nom-trop-long", max=NAME_MAX)
    existing = await session.execute(
        select(Collectivite).where(
            col(Collectivite.guild_id) == guild_id, col(Collectivite.name_key) == name_key(name)
        )
    )
    row = existing.scalar_one_or_none()
    if row is not None:
        return row
    row = Collectivite(guild_id=guild_id, name=name, name_key=name_key(name), flagged_new=True)
    session.add(row)
    await session.flush()
    audit.record(
        session, guild_id, actor_id, "collectivite.declared", "collectivite", row.id, name=name
    )
    return row
