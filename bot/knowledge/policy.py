"""Turn a regulation text (BAB / Bagian / Pasal / ayat / huruf) into passage entries.

One entry per Pasal, so a question about any article can find that article even where no
curated entry exists. Passages carry the ``passage`` tag: the index ranks them below
curated entries, and the card shows their ``source`` (e.g. "Perbup Bone 22/2019 Pasal 15").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.knowledge.models import MAX_ANSWER_CHARS, PASSAGE_TAG, KbEntry

_BAB = re.compile(r"^BAB\s+([IVXLC]+)\b\s*(.*)$")
_BAGIAN = re.compile(r"^Bagian\s+(Ke[a-z]+)\b\s*(.*)$", re.IGNORECASE)
_PASAL = re.compile(r"^Pasal\s+(\d+)\s*$", re.IGNORECASE)
_END = re.compile(r"^(Ditetapkan di|Diundangkan di|Agar setiap orang mengetahuinya)", re.I)
_REGULATION = re.compile(
    r"PERATURAN\s+(BUPATI|WALI\s*KOTA|DAERAH|GUBERNUR)\s+([A-Z][A-Z ]*?)\s*\n+\s*NOMOR\s+(\d+)"
    r"\s+TAHUN\s+(\d{4})",
    re.IGNORECASE,
)
_TITLE = re.compile(r"\bTENTANG\s*\n(.+?)\n\s*\n\s*DENGAN RAHMAT", re.DOTALL)
_DEFINED_TERM = re.compile(r"^\d+\.\s+(.+?)\s+(?:yang selanjutnya disebut .+? )?adalah\b")
_MARKUP = re.compile(r"[*_]")
_KIND_ABBREVIATION = {"BUPATI": "Perbup", "WALIKOTA": "Perwali", "DAERAH": "Perda"}
MAX_QUESTION_WORDS = 18


@dataclass(slots=True)
class Article:
    """One Pasal with the chapter (BAB) and section (Bagian) it sits in."""

    number: int
    chapter: str = ""
    section: str = ""
    lines: list[str] = field(default_factory=list)

    @property
    def heading(self) -> str:
        return self.section or self.chapter

    @property
    def body(self) -> str:
        return "\n".join(self.lines).strip()


@dataclass(frozen=True, slots=True)
class Regulation:
    """What the header says: short citation name, id prefix and title."""

    name: str
    id_prefix: str
    title: str


def _clean_line(line: str) -> str:
    text = _MARKUP.sub("", line).strip()
    if text.startswith("- "):
        text = text[2:].strip()
    return text


def describe_regulation(text: str, fallback: str = "regulasi") -> Regulation:
    """Citation name ("Perbup Bone 22/2019"), id prefix and title from the header."""
    title_match = _TITLE.search(text)
    title = " ".join(title_match.group(1).split()) if title_match else ""
    match = _REGULATION.search(text)
    if match is None:
        return Regulation(name=fallback, id_prefix=_slug(fallback), title=title.capitalize())
    kind = match.group(1).upper().replace(" ", "")
    place = " ".join(match.group(2).split()).title()
    number, year = match.group(3), match.group(4)
    abbreviation = _KIND_ABBREVIATION.get(kind, "Pergub" if kind == "GUBERNUR" else "Peraturan")
    return Regulation(
        name=f"{abbreviation} {place} {number}/{year}",
        id_prefix=_slug(f"{abbreviation} {place} {number} {year}"),
        title=title.capitalize(),
    )


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def appendix(text: str) -> str:
    """What follows the closing formula ("Agar setiap orang mengetahuinya", "Ditetapkan di"):
    the signatures and the lampiran, where a Standar Pelayanan is often attached."""
    lines = text.splitlines()
    for number, raw in enumerate(lines):
        if _END.match(_clean_line(raw)):
            return "\n".join(lines[number + 1 :])
    return ""


def parse_articles(text: str) -> list[Article]:
    """Every Pasal in the body of the regulation, in order of appearance."""
    articles: list[Article] = []
    chapter = section = ""
    pending: str | None = None  # "chapter" or "section" when its title is on the next line
    current: Article | None = None
    started = False
    for raw in text.splitlines():
        line = _clean_line(raw)
        if not line:
            continue
        if _END.match(line):
            break
        bab = _BAB.match(line)
        if bab:
            started = True
            chapter, section = bab.group(2).strip().title(), ""
            pending = None if chapter else "chapter"
            current = None
            continue
        if not started:
            continue
        bagian = _BAGIAN.match(line)
        if bagian:
            section = bagian.group(2).strip().title()
            pending = None if section else "section"
            current = None
            continue
        pasal = _PASAL.match(line)
        if pasal:
            pending = None
            current = Article(int(pasal.group(1)), chapter, section)
            articles.append(current)
            continue
        if pending == "chapter":
            chapter, pending = line.title(), None
            continue
        if pending == "section":
            section, pending = line.title(), None
            continue
        if current is not None:
            current.lines.append(line)
    return articles


def _first_sentence(body: str) -> str:
    first = body.split("\n", 1)[0]
    first = re.sub(r"^\(\d+\)\s*", "", first)
    first = re.split(r"[:;]", first, maxsplit=1)[0].strip().rstrip(".,")
    words = first.split()
    return " ".join(words[:MAX_QUESTION_WORDS])


def _questions(article: Article, regulation: Regulation) -> tuple[str, ...]:
    questions = [f"Apa isi Pasal {article.number} {regulation.name}?"]
    topic = article.heading.lower()
    if topic:
        about = regulation.title.lower() or "peraturan ini"
        questions.append(f"Bagaimana ketentuan mengenai {topic} dalam {about}?")
    if article.section and article.chapter and article.chapter.lower() != topic:
        questions.append(f"Apa yang diatur tentang {article.chapter.lower()}?")
    terms = [m.group(1) for line in article.lines if (m := _DEFINED_TERM.match(line))]
    if terms:
        questions.append(f"Apa pengertian {', '.join(t.lower() for t in terms[:8])}?")
    sentence = _first_sentence(article.body)
    if sentence and not terms:
        questions.append(f"{sentence}?")
    return tuple(dict.fromkeys(questions))


def _answer(article: Article, regulation: Regulation) -> str:
    heading = f" ({article.heading})" if article.heading else ""
    text = f"{regulation.name} Pasal {article.number}{heading}:\n{article.body}"
    if len(text) > MAX_ANSWER_CHARS:
        text = text[: MAX_ANSWER_CHARS - 1].rstrip() + "…"
    return text


def passages_from_text(
    text: str, name: str | None = None, id_prefix: str | None = None
) -> list[KbEntry]:
    """One passage entry per Pasal of the regulation ``text``."""
    described = describe_regulation(text)
    regulation = Regulation(
        name=name or described.name,
        id_prefix=id_prefix or described.id_prefix,
        title=described.title,
    )
    entries: list[KbEntry] = []
    for article in parse_articles(text):
        if not article.body:
            continue
        tags = [PASSAGE_TAG, regulation.id_prefix]
        tags += [_slug(t) for t in (article.chapter, article.section) if t]
        entries.append(
            KbEntry(
                id=f"{regulation.id_prefix}-pasal-{article.number}",
                questions=_questions(article, regulation),
                answer=_answer(article, regulation),
                tags=tuple(dict.fromkeys(tags)),
                source=f"{regulation.name} Pasal {article.number}",
            )
        )
    return entries
