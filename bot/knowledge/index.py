"""The suggestion engine: BM25 shortlist, then a reranker that yields a confidence.

Scoring, per candidate entry, on the query's matching terms (see ``normalize``):

* ``coverage``: the share of the query's term weight that the entry contains; a term's
  weight is its inverse document frequency, and terms the knowledge base has never seen
  weigh a fixed amount, so a question about something else stays low;
* ``question_overlap``: the best share of one canonical question's weight covered by the
  query (does the query ask what that question asks?);
* ``fuzzy``: rapidfuzz similarity between the query terms and the best question, which
  rewards near-identical phrasing and tolerates left-over typos;
* ``evidence``: how much rare-term weight matched at all, which keeps a single shared
  common word from making a confident match.

The raw score is a weighted sum in [0, 1], scaled down when the entry leaves much of the
query's content uncovered (see ``UNCOVERED_*``; names, villages and codes count little);
passages ingested from a regulation lose a little so that a curated entry on the same topic
ranks first. Signals that a question is outside what a general answer can serve (another
kabupaten as the place asked about, one person's own file, a complaint about a named
official, a service of another body the entry does not name) lower it further. The
confidence shown is ``confidence()``: a logistic curve over the raw score, its margin to
the second entry and the uncovered share, fitted by ``bench/calibrate_kb.py``.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import bm25s
import numpy as np
from rapidfuzz import fuzz, process

from bot.knowledge.models import KbEntry
from bot.knowledge.normalize import AnalyzerOptions, TextAnalyzer, clean

logger = logging.getLogger(__name__)

DEFAULT_THRESHOLD = 0.5
CALIBRATION_PIVOT = 0.30
SHORTLIST = 30
QUESTION_REPEAT = 2
UNKNOWN_TERM_WEIGHT = 0.35
GENERIC_TERM_WEIGHT = 0.12
ANSWER_ONLY_FACTOR = 0.75
EVIDENCE_FULL = 1.0
PASSAGE_FACTOR = 0.9
CITING_SHARE = 0.6
# Uncovered content. A question is about its content words (every term left after
# stopwords, known to the knowledge base or not); when the best entry leaves much of that
# weight unmatched, the entry is probably about something else that shares a few words
# ("festival budaya bone tahun ini" vs an entry that mentions "tahun" and "bone"). Weights:
# a term the KB has never seen counts as much as its rarest term (it is the topic as far as
# we can tell, and the KB has nothing on it); place names, offices and numbers count little;
# a KB term found only in other entries counts KNOWN_MISSING_SHARE of its IDF, since it may
# be context the KB happens to use elsewhere. Chat messages carry context (who, where,
# why), and a longer message carries more, so the share allowed before the score is scaled
# down grows with the number of terms; beyond it, each unit of share costs UNCOVERED_SLOPE.
UNCOVERED_UNKNOWN_WEIGHT = 1.0
KNOWN_MISSING_SHARE = 0.25
UNKNOWN_NAME_SHARE = 0.1
UNCOVERED_FREE = 0.3
UNCOVERED_FREE_PER_TERM = 0.035
UNCOVERED_FREE_MAX = 0.9
UNCOVERED_SLOPE = 2.5
UNCOVERED_FLOOR = 0.4

# confidence(): logistic coefficients (see ``confidence``).
CAL_BIAS = -2.66
CAL_RAW = 5.96
CAL_MARGIN = 3.90
CAL_MISSING = -0.83

FUZZY_SET_SHARE = 0.6
W_COVERAGE = 0.45
W_QUESTION = 0.25
W_FUZZY = 0.30


def _words(text: str) -> tuple[str, ...]:
    """Whitespace-separated words of a literal block (keeps long word lists readable)."""
    return tuple(text.split())


OTHER_REGIONS = frozenset(
    _words(
        """
    wajo soppeng sinjai gowa maros takalar jeneponto bantaeng bulukumba selayar barru
    pangkep pinrang sidrap sidenreng enrekang tana toraja luwu palopo parepare pare
    makassar kendari kolaka konawe buton mamuju majene polewali mandar palu poso
    donggala gorontalo manado bitung jakarta surabaya bandung
    """
    )
)
REGION_FACTOR = 0.3
ORIGIN_MARKERS = frozenset({"dari", "dr", "asal", "ex", "eks"})
REGION_MARKERS = frozenset({"kabupaten", "kab", "kota", "pemkab", "pemkot", "kabupatennya"})
REGION_INSTITUTIONS = frozenset(
    _words(
        """
    rsud rs puskesmas dinas disdukcapil dukcapil capil kantor pemda bupati walikota
    polres samsat pengadilan kemenag bappeda dprd
    """
    )
)
CASE_STATUS = re.compile(
    r"\b(atas nama|a n|an|punya saya|milik saya|berkas saya|nomor registrasi|no registrasi)\b"
    r".*\b(sudah jadi|jadi belum|sudah selesai|selesai belum|sampai mana|kapan jadi|"
    r"belum jadi|sudah keluar|keluar belum)\b"
    r"|\b(sudah jadi belum|sudah selesai belum|jadi atau belum|sudah keluar belum)\b"
    r"|\batas nama [a-z]+"
)
# "atas nama Andi ... sudah terbit belum?": the status of one person's file, which no
# general answer can give, so the penalty is stronger than for either cue alone.
NAMED_FILE = re.compile(r"\batas nama [a-z]+")
STATUS_QUESTION = re.compile(
    r"\b(sudah|sdh|udah|udh|dah|sdah)\b(\s+[a-z]+){0,3}\s+(belum|blm|blom|blum)\b"
    r"|\b(kapan|kpn) (jadi|terbit|keluar|selesai|cair)\b"
)
NAMED_STATUS_FACTOR = 0.4
COMPLAINT_ABOUT_PERSON = re.compile(
    r"\b(pak|bu|bapak|ibu|oknum|si|kepala desa|kades|lurah|camat|petugas|pegawai)\b"
    r".*\b(galak|kasar|sombong|judes|marah|"
    r"malas|tidak sopan|cuek|pungli|korupsi|bolos|seenaknya|pilih kasih|"
    r"jarang (ada|masuk|datang|di kantor)|tidak pernah (ada|masuk|datang))\b"
    r"|\b(tolong ditegur|harap ditegur|minta ditegur|dipecat|ditindak)\b"
)


# Services run by other bodies than the kabupaten (police, Samsat, KUA, courts, PLN, BPJS,
# provincial upper-secondary schools, banks, national agencies; motor vehicles: their tax and
# papers are Samsat's). A question naming one is
# usually theirs to answer, unless the entry itself is about it (its questions, tags or id
# name the word): then the entry is the kabupaten's answer on that body's service.
OTHER_BODIES = frozenset(
    _words(
        """
    polisi polsek polres polda kapolres kapolsek sim stnk bpkb tilang etle skck samsat
    kua kemenag pengadilan pln token bpjs faskes jkn sma smk slb bpn bank bumn bpom lpdp
    kpr flpp bkn kpu imigrasi paspor kendaraan
    """
    )
)
OTHER_BODY_FACTOR = 0.55
BODY_IN_ANSWER = True
MISSING_EXCESS = True
# One person's own file: an identifier (NIP, NIK, NOP, a registration number, "atas nama")
# together with a status question, or a request to check one person's record.
IDENTIFIER = re.compile(
    r"\b\d{8,}\b|\b(nip|nik|nop|no reg|nomor reg|no registrasi|nomor registrasi)\b|\batas nama\b"
)
OWN_CASE = re.compile(
    r"\b(tolong (di)?cek|tolong dicekkan|statusnya|status pengajuan|sampai mana|"
    r"apakah saya lulus|namanya ada|nama saya ada|sudah disetujui|belum keluar|"
    r"sudah diproses|(sudah|sdh|udah|udh) bisa diambil|bisa diambil belum|"
    r"(ada|masuk) di daftar|(yang|yg) (sudah|sdh|udah) diajukan|diajukan (minggu|bulan) lalu)\b"
)
OWN_CASE_FACTOR = NAMED_STATUS_FACTOR
# A complaint about a named official is for the inspectorate, not a general answer.
COMPLAINT_FACTOR = 0.4
# A named relative ("anak saya", "ibu sy") stands for one person's file as much as a NIK
# does, when the message asks about the state of that file.
RELATIVE = re.compile(
    r"\b(anak|ibu|bapak|ayah|suami|istri|adik|kakak|ortu|orang tua|mertua|nenek|kakek)"
    r" (saya|sy|sya|aku|ku)\b"
)


@dataclass(frozen=True, slots=True)
class MatcherOptions:
    """Which scoring adjustments run; ``kb eval --ablate`` switches them off one at a time."""

    region: bool = True  # another kabupaten named as the place asked about
    case: bool = True  # one person's own file, a complaint about a named official
    uncovered: bool = True  # the entry leaves much of the question's content unmatched
    other_body: bool = True  # a service of another body (police, KUA, PLN, ...) not in the entry
    calibrated: bool = True  # confidence from score, margin and uncovered share


@dataclass(frozen=True, slots=True)
class Match:
    """One suggested entry with its confidence in [0, 1]."""

    entry: KbEntry
    score: float


@dataclass(frozen=True, slots=True)
class Ranked:
    """A shortlisted entry: raw score in [0, 1] and the share of the question it misses."""

    position: int
    raw: float
    missing: float


@dataclass(frozen=True, slots=True)
class Suggestions:
    """Ranked matches (best first) and whether the best one is safe to propose."""

    matches: list[Match] = field(default_factory=list)
    confident: bool = False

    @property
    def best(self) -> Match | None:
        return self.matches[0] if self.matches else None


@dataclass(frozen=True, slots=True)
class _Features:
    coverage: float
    question_overlap: float
    fuzzy: float
    evidence: float


@dataclass(frozen=True, slots=True)
class _Doc:
    entry: KbEntry
    terms: frozenset[str]
    headline_terms: frozenset[str]
    questions: tuple[frozenset[str], ...]
    question_text: tuple[str, ...]
    question_weights: tuple[float, ...] = ()


def _entry_vocabulary(entries: Iterable[KbEntry]) -> set[str]:
    words: set[str] = set()
    for entry in entries:
        for text in (
            *entry.questions,
            entry.answer,
            *entry.tags,
            entry.id.replace("-", " "),
            entry.source or "",
        ):
            words.update(clean(text))
    return words


class SuggestionIndex:
    """An immutable index over knowledge-base entries. Build once, query many times."""

    def __init__(
        self,
        entries: Sequence[KbEntry],
        analyzer: TextAnalyzer,
        threshold: float = DEFAULT_THRESHOLD,
        options: MatcherOptions | None = None,
    ) -> None:
        self.entries: tuple[KbEntry, ...] = tuple(entries)
        self.analyzer = analyzer
        self.threshold = threshold
        self.options = options or MatcherOptions()
        # Set to {} to record each candidate's features (calibration and debugging).
        self.trace: dict[str, _Features] | None = None
        self._docs: list[_Doc] = []
        corpus: list[list[str]] = []
        for entry in self.entries:
            question_terms = tuple(tuple(analyzer.terms(q)) for q in entry.questions)
            answer_terms = analyzer.terms(entry.answer)
            label_text = " ".join((*entry.tags, entry.id.replace("-", " "), entry.source or ""))
            label_terms = analyzer.terms(label_text)
            label_terms = [t for t in label_terms if t != "passage"]
            tokens = [t for q in question_terms for t in q] * QUESTION_REPEAT
            tokens += label_terms + answer_terms
            corpus.append(tokens)
            all_terms = frozenset(tokens)
            headline = frozenset(label_terms).union(*question_terms)
            self._docs.append(
                _Doc(
                    entry,
                    all_terms,
                    headline,
                    tuple(frozenset(q) for q in question_terms),
                    tuple(" ".join(q) for q in question_terms),
                )
            )
        self._headline_words = [
            frozenset(
                word
                for text in (*entry.questions, *entry.tags, entry.id.replace("-", " "))
                for word in clean(text)
            )
            for entry in self.entries
        ]
        self._citing = self._curated_citing_passages()
        self._vocab: dict[str, int] = {}
        corpus_ids = [[self._vocab.setdefault(t, len(self._vocab)) for t in doc] for doc in corpus]
        document_frequency = np.zeros(max(len(self._vocab), 1), dtype=np.int64)
        for doc in self._docs:
            for term in doc.terms:
                document_frequency[self._vocab[term]] += 1
        count = max(len(self._docs), 1)
        self._idf = np.log((count - document_frequency + 0.5) / (document_frequency + 0.5) + 1.0)
        self._idf_max = float(self._idf.max()) if len(self._vocab) else 1.0
        self._docs = [
            _Doc(
                doc.entry,
                doc.terms,
                doc.headline_terms,
                doc.questions,
                doc.question_text,
                tuple(sum(self._weight(t) for t in question) for question in doc.questions),
            )
            for doc in self._docs
        ]
        # Every question text of every entry in one list, with each entry's slice of it, so
        # one rapidfuzz batch call per query scores all shortlisted questions (a cached
        # scorer prepares the query once instead of once per question).
        self._question_texts: list[str] = []
        self._question_slices: list[tuple[int, int]] = []
        for doc in self._docs:
            start = len(self._question_texts)
            self._question_texts.extend(doc.question_text)
            self._question_slices.append((start, len(self._question_texts)))
        self._passages = tuple(doc.entry.is_passage for doc in self._docs)
        self._bm25: bm25s.BM25 | None = None
        if self._docs and self._vocab:
            self._bm25 = bm25s.BM25()
            # bm25s wants an empty-string token in the vocabulary for empty documents.
            vocab = dict(self._vocab)
            vocab.setdefault("", len(vocab))
            self._bm25.index(
                bm25s.tokenization.Tokenized(ids=corpus_ids, vocab=vocab), show_progress=False
            )
        # Each term's postings (entry positions, BM25 weights) as array views, cut once here
        # instead of on every query.
        self._postings: list[tuple[np.ndarray, np.ndarray]] = []
        self._num_docs = 0
        if self._bm25 is not None:
            matrix = self._bm25.scores
            data, indices, indptr = matrix["data"], matrix["indices"], matrix["indptr"]
            bounds = indptr.tolist()
            self._postings = [
                (indices[bounds[i] : bounds[i + 1]], data[bounds[i] : bounds[i + 1]])
                for i in range(len(self._vocab))
            ]
            self._num_docs = int(matrix["num_docs"])

    def _curated_citing_passages(self) -> dict[int, list[int]]:
        """For each passage, the curated entries whose ``source`` cites the same Pasal."""
        passages: dict[str, int] = {}
        for position, doc in enumerate(self._docs):
            if doc.entry.is_passage and doc.entry.source:
                passages[doc.entry.source.lower()] = position
        citing: dict[int, list[int]] = {}
        if not passages:
            return citing
        for position, doc in enumerate(self._docs):
            if doc.entry.is_passage or not doc.entry.source:
                continue
            cited = doc.entry.source.lower()
            for source, passage in passages.items():
                name, _, number = source.rpartition(" pasal ")
                if name in cited and re.search(rf"\bpasal {re.escape(number)}\b", cited):
                    citing.setdefault(passage, []).append(position)
        return citing

    @classmethod
    def build(
        cls,
        entries: Sequence[KbEntry],
        threshold: float = DEFAULT_THRESHOLD,
        analyzer: TextAnalyzer | None = None,
        *,
        analyzer_options: AnalyzerOptions | None = None,
        options: MatcherOptions | None = None,
    ) -> SuggestionIndex:
        """Index ``entries``; the analyzer learns the knowledge-base vocabulary."""
        if analyzer is None:
            analyzer = TextAnalyzer(
                vocabulary=_entry_vocabulary(entries), options=analyzer_options
            )
        return cls(entries, analyzer, threshold, options)

    def __len__(self) -> int:
        return len(self.entries)

    # ------------------------------------------------------------------ querying
    def suggest(self, query: str, top: int = 3, threshold: float | None = None) -> Suggestions:
        """The ``top`` best entries for ``query``; confident when the best clears the bar."""
        bar = self.threshold if threshold is None else threshold
        scored = self.score_all(query)
        matches = [Match(self._docs[i].entry, score) for i, score in scored[: max(top, 0)]]
        confident = bool(scored) and scored[0][1] >= bar
        return Suggestions(matches=matches, confident=confident)

    def score_all(self, query: str) -> list[tuple[int, float]]:
        """(document position, confidence) for the shortlist, best first."""
        ranked = self.rank(query)
        if not self.options.calibrated:
            return [(r.position, round(calibrate(r.raw), 4)) for r in ranked]
        out: list[tuple[int, float]] = []
        ceiling = 1.0
        for number, item in enumerate(ranked):
            rival = ranked[1].raw if number == 0 and len(ranked) > 1 else ranked[0].raw
            margin = item.raw - rival if len(ranked) > 1 else item.raw
            # Ranked by raw score; an entry lower down never looks surer than one above it.
            ceiling = min(ceiling, confidence(item.raw, margin, item.missing))
            out.append((item.position, round(ceiling, 4)))
        return out

    def rank(self, query: str) -> list[Ranked]:
        """The shortlist with raw scores and uncovered shares, best first."""
        terms = list(dict.fromkeys(self.analyzer.terms(query)))
        if not terms or self._bm25 is None:
            return []
        ids = [self._vocab[t] for t in terms if t in self._vocab]
        if not ids:
            return []
        bm25_scores = self._bm25_scores(ids)
        size = len(bm25_scores)
        k = min(SHORTLIST, size)
        top = np.argpartition(-bm25_scores, k - 1)[:k] if k < size else np.arange(size)
        candidates = [int(i) for i in top if bm25_scores[i] > 0]
        weights = {t: self._weight(t) for t in terms}
        total = sum(weights.values())
        content = {t: self._content_weight(t) for t in terms}
        content_total = sum(content.values())
        query_text = " ".join(terms)
        penalty = self._scope_penalty(query)
        bodies = (
            frozenset(OTHER_BODIES.intersection(clean(query)))
            if self.options.other_body
            else frozenset()
        )
        fuzzy = self._fuzzy(query_text, candidates)
        query_set = set(terms)
        # Each query term's contribution to the uncovered share when an entry lacks it,
        # computed once per query rather than once per candidate.
        absent = [
            (term, weight * (KNOWN_MISSING_SHARE if term in self._vocab else 1.0))
            for term, weight in content.items()
        ]
        uncovered = self.options.uncovered
        passages = self._passages
        scored = []
        missing: dict[int, float] = {}
        for i in candidates:
            doc = self._docs[i]
            coverage, overlap, evidence = self._features(doc, terms, query_set, weights, total)
            if self.trace is not None:
                self.trace[doc.entry.id] = _Features(coverage, overlap, fuzzy[i], evidence)
            factor = penalty
            if bodies and not bodies <= self._headline_words[i]:
                factor *= OTHER_BODY_FACTOR
            share = (
                sum(weight for term, weight in absent if term not in doc.terms) / content_total
                if content_total
                else 0.0
            )
            missing[i] = share
            if uncovered:
                factor *= self._uncovered_factor(share, len(content))
            score = W_COVERAGE * coverage + W_QUESTION * overlap + W_FUZZY * fuzzy[i]
            score *= math.sqrt(min(1.0, evidence / EVIDENCE_FULL))
            if passages[i]:
                score *= PASSAGE_FACTOR
            scored.append((i, score * factor))
        scored = self._prefer_curated(scored)
        scored.sort(
            key=lambda item: (-item[1], passages[item[0]], -float(bm25_scores[item[0]]), item[0])
        )
        return [Ranked(i, min(max(s, 0.0), 1.0), missing.get(i, 0.0)) for i, s in scored]

    def _bm25_scores(self, ids: list[int]) -> np.ndarray:
        """BM25 score of every entry, summed from bm25s's precomputed sparse matrix.

        ``np.bincount`` over the query terms' postings is several times faster than
        bm25s's per-query path for large indexes, with identical scores.
        """
        assert self._bm25 is not None
        postings = self._postings
        positions = np.concatenate([postings[i][0] for i in ids])
        values = np.concatenate([postings[i][1] for i in ids])
        return np.bincount(positions, weights=values, minlength=self._num_docs)

    def _prefer_curated(self, scored: list[tuple[int, float]]) -> list[tuple[int, float]]:
        """A curated entry that cites a matching Pasal ranks at least as high as it.

        The curated entry is the admins' answer for that article; the passage is only a
        fallback, so it never outranks an entry written for the same Pasal.
        """
        if not self._citing:
            return scored
        scores = dict(scored)
        for position, score in scored:
            for curated in self._citing.get(position, ()):
                current = scores.get(curated)
                if current is not None and current >= CITING_SHARE * score:
                    scores[curated] = max(current, score)
        return list(scores.items())

    def _weight(self, term: str) -> float:
        if term in self.analyzer.generic_terms:
            return GENERIC_TERM_WEIGHT
        position = self._vocab.get(term)
        if position is None:
            return UNKNOWN_TERM_WEIGHT
        return float(self._idf[position]) / self._idf_max

    def _content_weight(self, term: str) -> float:
        """How much ``term`` says about the question's topic, for the uncovered share."""
        if term in self.analyzer.generic_terms or term.isdigit():
            # Place names, offices, dates and counts: present in any question.
            return GENERIC_TERM_WEIGHT
        position = self._vocab.get(term)
        if position is None:
            if not term.isalpha():
                return GENERIC_TERM_WEIGHT * UNKNOWN_NAME_SHARE
            if term in self.analyzer.lexicon.dictionary:
                return UNCOVERED_UNKNOWN_WEIGHT
            # Neither in the knowledge base nor a dictionary word: a name, a village, a
            # code or an acronym; it says little about what is asked.
            return UNCOVERED_UNKNOWN_WEIGHT * UNKNOWN_NAME_SHARE
        return float(self._idf[position]) / self._idf_max

    def _free_share(self, count: int) -> float:
        return min(UNCOVERED_FREE_MAX, UNCOVERED_FREE + UNCOVERED_FREE_PER_TERM * count)

    def _uncovered_factor(self, share: float, count: int) -> float:
        excess = share - self._free_share(count)
        if excess <= 0.0:
            return 1.0
        return max(UNCOVERED_FLOOR, 1.0 - UNCOVERED_SLOPE * excess)

    def _fuzzy(self, query_text: str, candidates: list[int]) -> dict[int, float]:
        """Best rapidfuzz similarity in [0, 1] between the query and each candidate's questions.

        A blend of token-set and token-sort ratios; both are computed in one batch call each
        over the candidates' questions (same scores as calling the scorers one by one).
        """
        texts: list[str] = []
        bounds: list[tuple[int, int, int]] = []
        for i in candidates:
            start, end = self._question_slices[i]
            offset = len(texts)
            texts.extend(text for text in self._question_texts[start:end] if text)
            bounds.append((i, offset, len(texts)))
        if not texts:
            return dict.fromkeys(candidates, 0.0)
        token_set = process.cdist(
            [query_text], texts, scorer=fuzz.token_set_ratio, dtype=np.float64
        )[0]
        token_sort = process.cdist(
            [query_text], texts, scorer=fuzz.token_sort_ratio, dtype=np.float64
        )[0]
        similarity = (FUZZY_SET_SHARE * token_set + (1.0 - FUZZY_SET_SHARE) * token_sort) / 100.0
        best = similarity.tolist()
        return {i: max(best[start:end], default=0.0) for i, start, end in bounds}

    def _features(
        self,
        doc: _Doc,
        terms: list[str],
        query_set: set[str],
        weights: dict[str, float],
        total: float,
    ) -> tuple[float, float, float]:
        """Coverage, best question overlap and evidence of ``doc`` for the query's terms."""
        evidence = 0.0
        for term in terms:
            if term in doc.terms:
                weight = weights[term]
                evidence += weight if term in doc.headline_terms else weight * ANSWER_ONLY_FACTOR
        question_overlap = 0.0
        for question, question_weight in zip(doc.questions, doc.question_weights, strict=True):
            # A question sharing no term adds nothing; skipping it saves building a set.
            if question_weight and not query_set.isdisjoint(question):
                shared = sum(weights[t] for t in query_set.intersection(question))
                question_overlap = max(question_overlap, shared / question_weight)
        return (evidence / total if total else 0.0, question_overlap, evidence)

    def _scope_penalty(self, query: str) -> float:
        words = clean(query)
        text = " ".join(words)
        factor = 1.0
        for position, word in enumerate(words):
            if self.options.region and word in OTHER_REGIONS:
                before = words[position - 1] if position else ""
                earlier = words[position - 2] if position > 1 else ""
                if earlier in ORIGIN_MARKERS and before in REGION_MARKERS | REGION_INSTITUTIONS:
                    # "pindahan dari Kab. Sinjai": where the asker comes from, not where the
                    # service is asked about.
                    continue
                # "di Wajo", "Kabupaten Wajo", "RSUD Gowa" ask about that region; "dari
                # Kendari" is usually where the asker comes from ("pindah dari Kendari").
                if (
                    before in REGION_MARKERS
                    or before in REGION_INSTITUTIONS
                    or (before in {"di", "untuk"} and word != "makassar")
                ):
                    factor = min(factor, REGION_FACTOR)
        if not self.options.case:
            return factor
        has_person = IDENTIFIER.search(text) or RELATIVE.search(text)
        if has_person and (OWN_CASE.search(text) or STATUS_QUESTION.search(text)):
            factor = min(factor, OWN_CASE_FACTOR)
        if CASE_STATUS.search(text):
            factor = min(factor, 0.6)
        if NAMED_FILE.search(text) and STATUS_QUESTION.search(text):
            factor = min(factor, NAMED_STATUS_FACTOR)
        if COMPLAINT_ABOUT_PERSON.search(text):
            factor = min(factor, COMPLAINT_FACTOR)
        if factor < 1.0:
            logger.debug("scope penalty %.2f for %r", factor, query)
        return factor


def calibrate(raw: float) -> float:
    """Map a raw score onto [0, 1] so that 0.5 is the calibrated decision point.

    Piecewise linear and monotonic: ranking is unchanged, and the raw score that best
    separated right answers from out-of-scope questions (``CALIBRATION_PIVOT``) maps to
    0.5, the default ``suggestion_threshold``.
    """
    raw = min(max(raw, 0.0), 1.0)
    if raw <= CALIBRATION_PIVOT:
        return 0.5 * raw / CALIBRATION_PIVOT
    return 0.5 + 0.5 * (raw - CALIBRATION_PIVOT) / (1.0 - CALIBRATION_PIVOT)


def confidence(raw: float, margin: float, missing: float) -> float:
    """The chance that an entry is the right answer, from three general signals.

    ``raw`` is the entry's score, ``margin`` its lead over the best other entry (negative
    below the first), ``missing`` the share of the question's content it does not cover
    (names, places, numbers and codes do not count). A logistic curve fitted on the tuning
    part of the blind set (cross-validated there; see README), monotone in each signal, so
    the ranking is that of the raw score.
    """
    z = CAL_BIAS + CAL_RAW * raw + CAL_MARGIN * margin + CAL_MISSING * missing
    return 1.0 / (1.0 + math.exp(-z))
