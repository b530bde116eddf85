"""Anonymised ballot files that anyone can recount: CSV for every method, ABIF for classement.

CSV: one column per option (header = option labels; for pour-contre the columns are
``pour``, ``contre``, ``abstention``) and an optional ``poids`` (weight) column. Cells: ``1`` or
empty (pour-contre, choix-unique, approbation), rank numbers with equal numbers for equal ranks
and empty = unranked (classement), grade labels such as ``Assez bien`` (jugement-majoritaire),
integers (notes); an empty cell is a missing grade or score. Rows are sorted, so their order
says nothing about when or by whom a ballot was cast. ``,`` or ``;`` delimiters are read.
Every header and cell is written through `rtes_bot.text.csv_cell`: a text starting with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return (a spreadsheet formula) or with a single quote
gets a leading single quote, which the reader removes (`csv_value`), so a label comes back
exactly as it was (``'=HYPERLINK(…)`` in the file, ``=HYPERLINK(…)`` once read).

ABIF (https://electowiki.org/wiki/ABIF): ``count:A>B=C``; ``=id:[Full name]`` declares a
candidate; ``{…}`` metadata and ``#`` comments are ignored; ``/N`` ratings are ignored.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Iterable

from rtes_bot.counting.ballots import dense_ranks
from rtes_bot.counting.methods import METHOD_REGISTRY, method_of
from rtes_bot.counting.model import Ballot, CountError, PollSpec
from rtes_bot.text import csv_delimiter, csv_text, csv_value

WEIGHT_COLUMN = "poids"
_WEIGHT_NAMES = {"poids", "weight"}


def write_ballots_csv(spec: PollSpec, ballots: Iterable[Ballot]) -> str:
    """One row per ballot, rows sorted; a ``poids`` column only if some weight is not 1."""
    ballots = list(ballots)
    weighted = any(b.weight != 1 for b in ballots)
    method = spec.voting_method
    rows: list[list[str | int]] = []
    for ballot in ballots:
        cells: list[str | int] = [*method.csv_cells(spec, ballot.content)]
        if weighted:
            cells.append(ballot.weight)
        rows.append(cells)
    rows.sort(key=lambda row: [str(cell) for cell in row])
    return csv_text([*spec.options, *([WEIGHT_COLUMN] if weighted else [])], rows)


def read_ballots_csv(text: str, method: str) -> tuple[list[str], list[Ballot]]:
    """Read a ballot CSV; returns (option labels, ballots). Raises ``CountError`` on bad data."""
    voting_method = method_of(method)
    text = text.lstrip("\ufeff")
    delimiter = csv_delimiter(text.split("\n", 1)[0])
    try:
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error as error:
        raise CountError(f"unreadable CSV: {error}") from error
    rows = [r for r in rows if r]  # a blank ballot is a row of empty cells, not an empty line
    if not rows:
        raise CountError("empty CSV file")
    header = [csv_value(cell.strip()) for cell in rows[0]]
    weight_at = next((i for i, h in enumerate(header) if h.casefold() in _WEIGHT_NAMES), None)
    columns = [i for i in range(len(header)) if i != weight_at]
    options = [header[i] for i in columns]
    columns, options = voting_method.csv_columns(columns, options)
    ballots = []
    for number, row in enumerate(rows[1:], start=2):
        row = [csv_value(cell.strip()) for cell in row] + [""] * (len(header) - len(row))
        weight = 1
        if weight_at is not None:
            if not re.fullmatch(r"[0-9]{1,9}", row[weight_at]):
                raise CountError(f"row {number}: bad weight {row[weight_at]!r}")
            weight = int(row[weight_at])
        content = voting_method.csv_content([row[i] for i in columns], number)
        ballots.append(Ballot(content, weight))
    return options, ballots


_TOKEN = re.compile(r"\s*(\[[^\]]*\]|[^>=,/\s\[\]]+)\s*(?:/\s*-?\d+(?:\.\d+)?)?\s*([>=,]|$)")


def read_abif(text: str, names: bool = False) -> tuple[list[str], list[Ballot]]:
    """Read ranked ABIF; options are candidate ids (or declared full names if ``names``)."""
    declared: dict[str, str] = {}
    options: list[str] = []
    by_name: dict[str, str] = {}
    lines: list[tuple[int, str, int]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#") or line.startswith("{"):
            continue
        if line.startswith("="):
            match = re.fullmatch(r"=\s*([^:\s]+)\s*(?::\s*\[(.*)\])?\s*(#.*)?", line)
            if not match:
                raise CountError(f"line {number}: bad candidate line {line!r}")
            token, name = match.group(1), match.group(2) or match.group(1)
            declared[token] = name
            by_name[name] = token
            options.append(token)
            continue
        match = re.fullmatch(r"(\d+)\s*:(.*)", line)
        if not match:
            raise CountError(f"line {number}: bad vote line {line!r}")
        body = match.group(2)
        if "#" in body and "[" not in body:
            body = body.split("#", 1)[0]
        lines.append((int(match.group(1)), body.strip(), number))
    ballots = []
    for weight, body, number in lines:
        ranks: dict[str, int] = {}
        rank = 1
        pos = 0
        while pos < len(body):
            match = _TOKEN.match(body, pos)
            if not match or match.end() == pos:
                raise CountError(f"line {number}: cannot read {body!r}")
            token = match.group(1)
            if token.startswith("["):
                token = by_name.get(token[1:-1], token[1:-1])
            if token not in options:
                options.append(token)
                declared.setdefault(token, token)
            key = str(options.index(token))
            if key in ranks:
                raise CountError(f"line {number}: {token!r} appears twice")
            ranks[key] = rank
            if match.group(2) == ">":
                rank += 1
            pos = match.end()
        ballots.append(Ballot(dense_ranks(ranks) if ranks else {}, weight))
    # ballot keys refer to positions in ``options``; rename only at the end
    labels = [declared[o] if names else o for o in options]
    return labels, ballots


def write_abif(spec: PollSpec, ballots: Iterable[Ballot]) -> str:
    """Write classement ballots as ABIF; identical ballots are merged into one counted line.

    Read it back with ``read_abif(text, names=True)`` to get the same option labels.
    """
    tokens: list[str] = []
    for i, label in enumerate(spec.options):
        token = re.sub(r"[^A-Za-z0-9_.-]+", "_", label).strip("_") or f"option{i + 1}"
        while token in tokens:
            token += f"_{i + 1}"
        tokens.append(token)
    merged: Counter[str] = Counter()
    for ballot in ballots:
        by_rank: dict[int, list[str]] = {}
        for key, rank in sorted(dense_ranks(ballot.content).items(), key=lambda kv: int(kv[0])):
            by_rank.setdefault(rank, []).append(tokens[int(key)])
        merged[">".join("=".join(by_rank[r]) for r in sorted(by_rank))] += ballot.weight
    out = ['{version: "0.1"}']
    out += [f"={token}:[{label}]" for token, label in zip(tokens, spec.options, strict=True)]
    out += [
        f"{weight}:{line}"
        for line, weight in sorted(merged.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    return "\n".join(out) + "\n"


def read_ballots(text: str, method: str, filename: str = "") -> tuple[list[str], list[Ballot]]:
    """Read a ballot file by extension: ``.abif`` (classement only) or CSV."""
    if filename.lower().endswith(".abif"):
        voting_method = METHOD_REGISTRY.get(method)
        if voting_method is None or not voting_method.reads_abif:
            raise CountError("ABIF files hold ranked ballots: use --method classement")
        return read_abif(text, names=True)
    return read_ballots_csv(text, method)
