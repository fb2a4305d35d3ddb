"""Knowledge base and answer-suggestion engine (plain Python, no Telegram imports).

Typical use from the bot::

    kb = KnowledgeBase(bundled_kb_paths() + extra_paths, threshold=settings.suggestion_threshold)
    suggestions = kb.suggest(ticket_text)          # Suggestions(matches, confident)
    result = kb.reload_if_changed()                # ReloadResult(reloaded, problems)
"""

from bot.knowledge.evaluate import EvalReport, evaluate, load_cases
from bot.knowledge.gaps import GapGroup, group_unanswered
from bot.knowledge.index import DEFAULT_THRESHOLD, Match, SuggestionIndex, Suggestions
from bot.knowledge.loader import LoadResult, dump_entries, load_files, validate_files
from bot.knowledge.models import KbEntry, Problem
from bot.knowledge.normalize import TextAnalyzer, normalize
from bot.knowledge.policy import passages_from_text
from bot.knowledge.store import (
    KnowledgeBase,
    KnowledgeBaseError,
    ReloadResult,
    bundled_kb_paths,
)

__all__ = [
    "DEFAULT_THRESHOLD",
    "EvalReport",
    "GapGroup",
    "KbEntry",
    "KnowledgeBase",
    "KnowledgeBaseError",
    "LoadResult",
    "Match",
    "Problem",
    "ReloadResult",
    "SuggestionIndex",
    "Suggestions",
    "TextAnalyzer",
    "bundled_kb_paths",
    "dump_entries",
    "evaluate",
    "group_unanswered",
    "load_cases",
    "load_files",
    "normalize",
    "passages_from_text",
    "validate_files",
]
