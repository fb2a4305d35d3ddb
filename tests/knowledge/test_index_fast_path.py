"""The per-query fast paths (batched fuzzy scores, precut postings) match the plain ones."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from rapidfuzz import fuzz

from bot.knowledge.evaluate import load_cases
from bot.knowledge.index import FUZZY_SET_SHARE, SuggestionIndex
from bot.knowledge.loader import load_files

TUNE = Path(__file__).parent / "data" / "eval" / "tune"
FAQ_DEV_KB = Path(__file__).parent.parent / "data" / "faq-dev-kb.yaml"


def _index_and_queries() -> tuple[SuggestionIndex, list[str]]:
    index = SuggestionIndex.build(load_files([FAQ_DEV_KB]).entries)
    return index, [case.query for case in load_cases(TUNE / "faqdev.yaml")]


def test_batched_fuzzy_equals_one_call_per_question() -> None:
    index, queries = _index_and_queries()
    compared = 0
    for query in queries:
        terms = list(dict.fromkeys(index.analyzer.terms(query)))
        if not terms:
            continue
        query_text = " ".join(terms)
        candidates = list(range(len(index.entries)))
        batched = index._fuzzy(query_text, candidates)
        for position in candidates:
            expected = 0.0
            for text in index._docs[position].question_text:
                if text:
                    similarity = FUZZY_SET_SHARE * fuzz.token_set_ratio(query_text, text) + (
                        1.0 - FUZZY_SET_SHARE
                    ) * fuzz.token_sort_ratio(query_text, text)
                    expected = max(expected, similarity / 100.0)
            # Exact equality: the ranking must not move by a single bit.
            assert batched[position] == expected, (query, position)
            compared += 1
    assert compared > 1000


def test_precut_postings_equal_bm25s_scores() -> None:
    index, queries = _index_and_queries()
    assert index._bm25 is not None
    for query in queries[:60]:
        terms = list(dict.fromkeys(index.analyzer.terms(query)))
        ids = [index._vocab[t] for t in terms if t in index._vocab]
        if not ids:
            continue
        ours = index._bm25_scores(ids)
        theirs = index._bm25.get_scores(ids)
        np.testing.assert_allclose(ours, theirs, rtol=1e-6, atol=1e-9)
