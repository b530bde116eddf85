"""A charter text split into its parts (headings and bodies), and one part found by name.

Pure: no I/O. The charter's versions and signatures are stored by :mod:`rtes_bot.services.charter`;
the chatbot (:mod:`rtes_bot.answers`) and `/charte lire` read the parts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from rtes_bot.errors import InvalidInput
from rtes_bot.text import fold, slugify


@dataclass(frozen=True)
class Part:
    """One part of a charter text: a heading and its body. Context parts are not the charter itself."""

    slug: str
    title: str
    body: str
    is_charter: bool

    def paragraphs(self) -> list[str]:
        """Paragraphs and list items, one string each (for quoting)."""
        items: list[str] = []
        current: list[str] = []
        for line in self.body.splitlines():
            stripped = line.strip()
            if not stripped:
                if current:
                    items.append(" ".join(current))
                    current = []
                continue
            if _BULLET.match(stripped):
                if current:
                    items.append(" ".join(current))
                    current = []
                items.append(_BULLET.sub("", stripped, count=1).strip())
                continue
            current.append(stripped)
        if current:
            items.append(" ".join(current))
        return items


_MARKDOWN_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(?P<title>.+?)\s*#*\s*$")
_BULLET = re.compile(r"^(?:[•\-*–·]|\d+[.)])\s+")
# Lines of the wiki page around the text (site name, navigation links), not part of the text.
_PAGE_CHROME = frozenset({"de solecopedia", "aller a : navigation, rechercher"})
# A heading with no body that announces the charter: what follows is the charter, what precedes is context.
_CHARTER_MARKERS = frozenset({"charte", "la charte", "charter"})


def _plain_heading(lines: list[str], index: int) -> str | None:
    """A plain-text heading: a short line alone between blank lines, not a sentence nor an item."""
    line = lines[index].strip()
    if not line or len(line) > 80 or _BULLET.match(line):
        return None
    if line[-1] in ".;:,!?…»)" or "," in line or " : " in line:
        return None
    before_blank = index == 0 or not lines[index - 1].strip()
    after_blank = index == len(lines) - 1 or not lines[index + 1].strip()
    return line if before_blank and after_blank else None


def parts(text: str) -> list[Part]:
    """Split a charter text into parts by its headings (markdown ``#`` or plain-text headings).

    Sections without a body are dropped; a body-less « Charte » heading marks the start of the
    charter proper (what precedes it, e.g. « Historique », is context). Without such a marker every
    part is charter.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    markdown = any(_MARKDOWN_HEADING.match(line) for line in lines)
    sections: list[tuple[str | None, list[str]]] = [(None, [])]
    for index, line in enumerate(lines):
        if fold(line) in _PAGE_CHROME:
            continue
        heading: str | None
        if markdown:
            found = _MARKDOWN_HEADING.match(line)
            heading = found.group("title") if found else None
        else:
            heading = _plain_heading(lines, index)
        if heading is not None:
            sections.append((heading, []))
        else:
            sections[-1][1].append(line)
    has_marker = any(
        title is not None and fold(title) in _CHARTER_MARKERS and not "".join(body).strip()
        for title, body in sections
    )
    result: list[Part] = []
    in_charter = not has_marker
    used: set[str] = set()
    for title, body_lines in sections:
        body = "\n".join(body_lines).strip("\n")
        if not body.strip():
            if title is not None and fold(title) in _CHARTER_MARKERS:
                in_charter = True
            continue
        shown = title or ""
        slug = _slug(shown or "preambule", used)
        result.append(Part(slug=slug, title=shown, body=body, is_charter=in_charter))
    return result


def _slug(title: str, used: set[str]) -> str:
    slug = slugify(title)[:40].rstrip("-")
    if len(slugify(title)) > 40 and "-" in slug:
        slug = slug.rsplit("-", 1)[0]
    slug = slug or "partie"
    base, number = slug, 2
    while slug in used:
        slug = f"{base}-{number}"
        number += 1
    used.add(slug)
    return slug


def find_part(text: str, wanted: str) -> Part:
    """The part named by its slug or (typo-tolerant) title."""
    available = parts(text)
    key = fold(wanted)
    for part in available:
        if part.slug == wanted or fold(part.title) == key or slugify(wanted) == part.slug:
            return part
    best = max(available, key=lambda p: fuzz.partial_ratio(key, fold(p.title)), default=None)
    if best is not None and fuzz.partial_ratio(key, fold(best.title)) >= 85:
        return best
    raise InvalidInput(
        "charte.partie-inconnue", partie=wanted, parties=", ".join(p.title for p in available)
    )
