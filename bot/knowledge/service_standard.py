"""Turn a Standar Pelayanan document into passage entries, one per service component.

Agencies publish their standards in the format of PermenPANRB 15/2014: per service
("Jenis Pelayanan: Penerbitan Akta Kelahiran"), a numbered table of components —
persyaratan, sistem/mekanisme/prosedur, jangka waktu penyelesaian, biaya/tarif, produk
pelayanan, penanganan pengaduan, and the components of managing the service. The text comes
from ``documents.read_document``: a DOCX table row is one line of cells joined by " | ",
a PDF table row is whatever order its text layer has, so headings are recognised with or
without the row number, the cell separator, or a colon.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot import texts
from bot.knowledge.models import MAX_ANSWER_CHARS, PASSAGE_TAG, KbEntry

SERVICE_STANDARD_TAG = "standar-pelayanan"

# Wordings of each component heading. A "strong" wording starts a component wherever it
# opens a line; a "weak" one is an ordinary word too ("biaya materai ditanggung pemohon"),
# so it counts only alone on its line or followed by a separator.
_STRONG: dict[str, tuple[str, ...]] = {
    "persyaratan": ("persyaratan pelayanan", "persyaratan layanan", "persyaratan"),
    "prosedur": (
        "sistem, mekanisme, dan prosedur",
        "sistem, mekanisme dan prosedur",
        "sistem mekanisme dan prosedur",
        "mekanisme dan prosedur",
        "prosedur pelayanan",
        "alur pelayanan",
        "prosedur",
    ),
    "jangka-waktu": (
        "jangka waktu penyelesaian",
        "jangka waktu pelayanan",
        "jangka waktu",
        "waktu penyelesaian",
    ),
    "biaya": ("biaya / tarif", "biaya/tarif", "biaya atau tarif", "biaya dan tarif"),
    "produk": ("produk pelayanan", "produk layanan", "hasil pelayanan"),
    "pengaduan": (
        "penanganan pengaduan, saran, dan masukan",
        "penanganan pengaduan, saran dan masukan",
        "penanganan pengaduan",
        "pengelolaan pengaduan",
    ),
    "waktu-pelayanan": ("waktu pelayanan", "jam pelayanan", "jadwal pelayanan"),
    "dasar-hukum": ("dasar hukum",),
    "sarana": (
        "sarana, prasarana, dan/atau fasilitas",
        "sarana, prasarana dan/atau fasilitas",
        "sarana dan prasarana",
        "sarana prasarana",
    ),
    "kompetensi": ("kompetensi pelaksana",),
    "pengawasan": ("pengawasan internal",),
    "jumlah-pelaksana": ("jumlah pelaksana",),
    "jaminan": ("jaminan pelayanan",),
    "keamanan": (
        "jaminan keamanan dan keselamatan pelayanan",
        "jaminan keamanan dan keselamatan",
    ),
    "evaluasi": ("evaluasi kinerja pelaksana", "evaluasi kinerja"),
}
_WEAK: dict[str, tuple[str, ...]] = {
    "persyaratan": ("syarat",),
    "prosedur": ("mekanisme", "alur"),
    "biaya": ("biaya", "tarif"),
    "produk": ("produk",),
    "pengaduan": ("pengaduan",),
    "sarana": ("sarana", "fasilitas"),
}


def _alternation(words: dict[str, tuple[str, ...]]) -> str:
    # Longest first, so "persyaratan pelayanan" wins over "persyaratan".
    names = sorted((w for group in words.values() for w in group), key=len, reverse=True)
    return "|".join(re.escape(name).replace(r"\ ", r"\s+") for name in names)


_NUMBER = r"(?:\(?\d{1,2}[.)]?\s*(?:\|\s*)?)?"
_SEPARATOR = r"\s*(?:[:|\t]|\s[-–]\s)\s*"
_STRONG_HEADING = re.compile(
    rf"^{_NUMBER}(?P<name>{_alternation(_STRONG)})(?![\w/])(?:{_SEPARATOR}|\s+|$)(?P<rest>.*)$",
    re.IGNORECASE,
)
_WEAK_HEADING = re.compile(
    rf"^{_NUMBER}(?P<name>{_alternation(_WEAK)})(?![\w/])(?:{_SEPARATOR}(?P<rest>.*)|\s*:?\s*$)",
    re.IGNORECASE,
)
_SERVICE = re.compile(
    rf"^{_NUMBER}(?:jenis|nama)\s+(?:pelayanan|layanan){_SEPARATOR}(?P<name>.+)$", re.IGNORECASE
)
_STANDARD_TITLE = re.compile(r"^standar\s+pelayanan\b\s*[:\-–]?\s*(?P<name>.*)$", re.IGNORECASE)
# "Standar Pelayanan Dinas ..." names the agency, not a service.
_NOT_A_SERVICE = re.compile(
    r"^(?:publik|dinas|badan|kantor|sekretariat|bagian|kecamatan|kelurahan|desa|rumah\s+sakit|"
    r"rsud|puskesmas|unit|upt|pada|di|lingkup|pemerintah|kabupaten|kota|provinsi|tahun|nomor)\b",
    re.IGNORECASE,
)
_TABLE_HEADER = re.compile(r"^(?:no\.?\s*\|?\s*)?komponen\b", re.IGNORECASE)
_END = re.compile(
    r"^(?:Ditetapkan di|Diundangkan di|Mengetahui\b|NIP\b|Pembina\b|Penata\b)", re.IGNORECASE
)
_ROW_NUMBER = re.compile(r"^\d{1,2}[.)]?\s*\|\s*")
_ACRONYM = re.compile(r"^[A-Z0-9-]{2,8}$")
_SMALL_WORDS = frozenset({"dan", "di", "ke", "dari", "atau", "yang", "untuk", "bagi", "pada"})
MAX_ID_PART = 40


def component_of(heading: str) -> str:
    """The component key of a heading wording, e.g. "Biaya / Tarif" -> "biaya"."""
    wording = " ".join(heading.lower().split())
    for table in (_STRONG, _WEAK):
        for key, names in table.items():
            if wording in names:
                return key
    raise KeyError(heading)


@dataclass(slots=True)
class Component:
    key: str
    lines: list[str] = field(default_factory=list)

    @property
    def body(self) -> str:
        return "\n".join(line for line in self.lines if line).strip()


@dataclass(slots=True)
class Service:
    """One service of the standard and its components, in document order."""

    name: str
    components: list[Component] = field(default_factory=list)

    def has(self, key: str) -> bool:
        return any(component.key == key for component in self.components)


def _heading(line: str) -> tuple[str, str] | None:
    match = _STRONG_HEADING.match(line) or _WEAK_HEADING.match(line)
    if match is None:
        return None
    return component_of(match.group("name")), (match.group("rest") or "").strip(" |:")


def _service_name(line: str) -> str | None:
    match = _SERVICE.match(line)
    if match:
        return _tidy_name(match.group("name"))
    title = _STANDARD_TITLE.match(line)
    if title and title.group("name") and not _NOT_A_SERVICE.match(title.group("name")):
        return _tidy_name(title.group("name"))
    return None


def _tidy_name(name: str) -> str:
    """Collapse spaces; a name in capitals reads as a title, keeping short acronyms."""
    name = " ".join(name.strip(" |:.").split())
    if not name.isupper():
        return name
    words = []
    for word in name.split():
        if word.lower() in _SMALL_WORDS:
            words.append(word.lower())
        elif len(word) <= 3 or any(ch.isdigit() or ch == "-" for ch in word):
            words.append(word)  # KK, KTP, KIA, KTP-EL, PBG
        else:
            words.append(word.title())
    return " ".join(words)


def document_title(text: str) -> str | None:
    """The first "STANDAR PELAYANAN ..." line, as a short citation name."""
    for raw in text.splitlines():
        line = raw.strip()
        if _STANDARD_TITLE.match(line):
            return _tidy_name(line)[:120]
    return None


def parse_services(text: str, default_service: str | None = None) -> list[Service]:
    """Every service and its components; components before any service name belong to
    ``default_service`` (or a generic one)."""
    services: list[Service] = []
    service: Service | None = None
    current: Component | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if _END.match(line):
            if services:
                break
            continue  # the signatures of a regulation before its lampiran
        if not line or _TABLE_HEADER.match(line):
            continue
        name = _service_name(line)
        if name:
            service, current = Service(name), None
            services.append(service)
            continue
        heading = _heading(line)
        if heading is not None and not (service is not None and service.has(heading[0])):
            if service is None:
                service = Service(default_service or texts.SP_DEFAULT_SERVICE)
                services.append(service)
            key, rest = heading
            current = Component(key, [rest] if rest else [])
            service.components.append(current)
            continue
        if current is not None:
            current.lines.append(_ROW_NUMBER.sub("", line).replace(" | ", "; "))
    return [s for s in services if any(c.body for c in s.components)]


def _slug(text: str) -> str:
    """A short id part, cut at a word boundary so ids stay readable."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    slug = re.sub(r"^standar-pelayanan(?=-|$)", "sp", slug)
    if len(slug) > MAX_ID_PART:
        slug = slug[: MAX_ID_PART + 1].rsplit("-", 1)[0]
    return slug


def _in_question(name: str) -> str:
    """The service's name as it reads inside a sentence (acronyms stay upper case)."""
    return " ".join(w if _ACRONYM.match(w) else w.lower() for w in name.split())


def passages_from_standard(
    text: str, *, name: str, id_prefix: str | None = None, default_service: str | None = None
) -> list[KbEntry]:
    """One passage entry per component of each service in the Standar Pelayanan ``text``."""
    prefix = _slug(id_prefix or name) or "standar-pelayanan"
    entries: list[KbEntry] = []
    seen: set[str] = set()
    for service in parse_services(text, default_service):
        spoken = _in_question(service.name)
        for component in service.components:
            if not component.body:
                continue
            label, templates = texts.SP_COMPONENTS[component.key]
            entry_id = f"{prefix}-{_slug(service.name) or 'layanan'}-{component.key}"
            if entry_id in seen:  # the same service listed twice: number the repeat
                entry_id = f"{entry_id}-{sum(e.startswith(entry_id) for e in seen) + 1}"
            seen.add(entry_id)
            answer = texts.sp_answer(label=label, service=service.name, body=component.body)
            if len(answer) > MAX_ANSWER_CHARS:
                answer = answer[: MAX_ANSWER_CHARS - 1].rstrip() + "…"
            entries.append(
                KbEntry(
                    id=entry_id,
                    questions=tuple(t.format(service=spoken) for t in templates),
                    answer=answer,
                    tags=(PASSAGE_TAG, SERVICE_STANDARD_TAG, component.key),
                    source=f"{name}, {service.name}: {label}",
                )
            )
    return entries
