"""One parser for the documents an agency publishes: regulations and Standar Pelayanan.

A regulation gives one passage per Pasal (``policy``); a Standar Pelayanan gives one passage
per service component (``service_standard``). A regulation that sets a standard usually
carries it in its lampiran, so the lampiran is read as a standard too. ``kb ingest`` and
``kb ingest-policy`` both come through here.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.knowledge.models import KbEntry
from bot.knowledge.policy import appendix, describe_regulation, passages_from_text
from bot.knowledge.service_standard import document_title, passages_from_standard

_NO_REGULATION_NAME = "regulasi"


@dataclass(frozen=True, slots=True)
class Ingested:
    """The entries made from one document, by where they came from."""

    articles: list[KbEntry]
    components: list[KbEntry]

    @property
    def entries(self) -> list[KbEntry]:
        return [*self.articles, *self.components]


def ingest_text(
    text: str,
    *,
    fallback_name: str,
    name: str | None = None,
    id_prefix: str | None = None,
    service: str | None = None,
    articles_only: bool = False,
) -> Ingested:
    """Passage entries from a document's text.

    ``name`` and ``id_prefix`` override what the header says; ``fallback_name`` (usually the
    file name) cites a document whose header names nothing; ``service`` names the service of
    components listed before any "Jenis Pelayanan" line.
    """
    articles = passages_from_text(text, name=name, id_prefix=id_prefix)
    if articles_only:
        return Ingested(articles, [])
    described = describe_regulation(text, fallback=_NO_REGULATION_NAME)
    if articles:
        regulation = name or described.name
        cited = regulation if regulation != _NO_REGULATION_NAME else fallback_name
        components = passages_from_standard(
            appendix(text),
            name=f"{cited} Lampiran",
            id_prefix=f"{id_prefix or described.id_prefix}-lampiran",
            default_service=service,
        )
    else:
        cited = name or document_title(text) or fallback_name
        components = passages_from_standard(
            text, name=cited, id_prefix=id_prefix, default_service=service
        )
    return Ingested(articles, components)
