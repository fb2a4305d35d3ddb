"""A fake Telegram Bot API server for end-to-end tests and the demo.

The real bot (aiogram) talks to this server over HTTP exactly as it would talk to
api.telegram.org: ``{base_url}/bot{token}/{method}`` with form-urlencoded, multipart or
JSON bodies, and gets Telegram-shaped JSON back. Tests drive the conversation from the
user's side with the ``user_*`` builders and inspect what the bot did with
``sent_messages``, ``message``, ``callback_answers``, ``requests`` and ``transcript``.

Behaviour that matters for a bot's correctness is modelled on the real API: getUpdates
offset confirmation and long polling, 409 for concurrent pollers, HTML entity parsing,
length limits counted in UTF-16 code units, inline keyboard validation, "message is not
modified", flood control and blocked users (403).

Flood control is measured where Telegram measures it: at the arrival of each request, in
rolling windows (30 sends per second per bot, 1 per second per private chat, 20 per minute
per group or channel; edits count like sends). A breach answers 429 with retry_after and
blocks its scope (the whole bot after a global breach) until retry_after has passed; every
send that arrives into a blocked scope is answered 429 again and counted in
``flood_violations``. An injected 429 blocks the whole bot the same way, because Telegram
never says which scope a 429 applies to. ``fail_next_non_json`` answers like Telegram's
front end during incidents: nginx HTML error pages, empty bodies, truncated JSON.

Run standalone for manual play: ``python -m bot.devtools.telegram_api --port 8081``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import contextvars
import json
import logging
import math
import re
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Literal, NamedTuple, TypedDict, TypeVar

import aiohttp
from aiohttp import web

__all__ = [
    "BOT_USER",
    "FakeTelegram",
    "FakeUser",
    "HtmlParseError",
    "MessageView",
    "RecordedRequest",
    "UploadedFile",
    "make_user",
    "parse_html",
    "utf16_len",
]

log = logging.getLogger(__name__)

JSON = dict[str, Any]
_T = TypeVar("_T")

BOT_USER: JSON = {
    "id": 1000000001,
    "is_bot": True,
    "first_name": "Layanan Info Bone",
    "username": "bone_info_bot",
}
# Telegram's service account that authors automatic forwards into discussion groups.
TELEGRAM_SERVICE_USER: JSON = {"id": 777000, "is_bot": False, "first_name": "Telegram"}

MAX_TEXT_LEN = 4096
MAX_CAPTION_LEN = 1024
MAX_CALLBACK_DATA_BYTES = 64
MAX_CALLBACK_ANSWER_LEN = 200
# Real update ids are large; starting high catches code that assumes small numbers.
FIRST_UPDATE_ID = 500_000_001
# Methods under flood control: after a breach, each of them is refused in a blocked scope.
_FLOOD_CONTROLLED_METHODS = frozenset(
    {
        "sendMessage",
        "sendDocument",
        "sendPhoto",
        "copyMessage",
        "forwardMessage",
        "editMessageText",
        "editMessageCaption",
        "editMessageReplyMarkup",
        "answerCallbackQuery",
        "sendChatAction",
        "deleteMessage",
    }
)
_RATE_WINDOW_SECONDS = {"private": 1.0, "group": 60.0}
# What Telegram's nginx front end answers during incidents, byte for byte in shape.
_NGINX_PAGE = (
    "<html>\r\n<head><title>{status} {reason}</title></head>\r\n<body>\r\n"
    "<center><h1>{status} {reason}</h1></center>\r\n<hr><center>nginx/1.18.0</center>\r\n"
    "</body>\r\n</html>\r\n"
)
NonJsonKind = Literal["html", "empty", "truncated"]
# The time a request arrived, set once per request before anything else happens to it.
_arrival: contextvars.ContextVar[float] = contextvars.ContextVar("fake_telegram_arrival")

_TOKEN_RE = re.compile(r"\d+:[A-Za-z0-9_-]+")
_COMMAND_RE = re.compile(r"(?<!\S)/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?")
_BOT_COMMAND_NAME_RE = re.compile(r"[a-z0-9_]{1,32}")

_CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
_INLINE_BUTTON_ACTIONS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
# Telegram withholds these update types unless they are explicitly requested.
_OPT_IN_UPDATE_TYPES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
_FILE_DEFAULTS: dict[str, JSON] = {
    "document": {"file_name": "dokumen.pdf", "mime_type": "application/pdf"},
    "voice": {"duration": 3, "mime_type": "audio/ogg"},
    "audio": {"duration": 120, "mime_type": "audio/mpeg", "title": "Audio"},
    "video": {"width": 640, "height": 360, "duration": 10, "mime_type": "video/mp4"},
    "video_note": {"length": 240, "duration": 5},
    "animation": {"width": 320, "height": 240, "duration": 2},
    "sticker": {
        "type": "regular",
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
        "emoji": "\N{THUMBS UP SIGN}",
    },
}


def utf16_len(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units (emoji outside the BMP count 2)."""
    return len(text.encode("utf-16-le")) // 2


def _now() -> int:
    return int(time.time())


# --------------------------------------------------------------------------------------
# HTML parse mode
# --------------------------------------------------------------------------------------


class HtmlParseError(ValueError):
    """Raised for text Telegram would reject with "can't parse entities"."""


_SIMPLE_TAGS: dict[str, str] = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "code": "code",
    "pre": "pre",
}
_SUPPORTED_TAGS = frozenset({*_SIMPLE_TAGS, "a", "span", "blockquote", "tg-emoji"})
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ENTITY_RE = re.compile(r"&(?:(lt|gt|amp|quot)|#([0-9]{1,8})|#[xX]([0-9a-fA-F]{1,8}));")
_TAG_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-")


@dataclass
class _OpenTag:
    name: str
    attrs: dict[str, str]
    start: int  # UTF-16 offset in the output text
    byte_offset: int


def _byte_offset(text: str, index: int) -> int:
    # Telegram reports positions as UTF-8 byte offsets into the original text.
    return len(text[:index].encode("utf-8"))


def _decode_entity(text: str, i: int, strict_ampersand: bool) -> tuple[str, int]:
    """Decode an HTML entity starting at text[i] == '&'; returns (chars, next index)."""
    match = _ENTITY_RE.match(text, i)
    if match is not None:
        named, dec, hexa = match.groups()
        if named is not None:
            return _NAMED_ENTITIES[named], match.end()
        code = int(dec, 10) if dec is not None else int(hexa, 16)
        if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF:
            return chr(code), match.end()
    if strict_ampersand:
        # Real Telegram keeps a stray '&' literally; being stricter catches missing
        # html.escape() calls in the bot before they corrupt text such as "&lt;".
        raise HtmlParseError(
            f"Unescaped '&' at byte offset {_byte_offset(text, i)}; use &amp; instead"
        )
    return "&", i + 1


def _skip_spaces(text: str, i: int) -> int:
    while i < len(text) and text[i].isspace():
        i += 1
    return i


def _parse_attr_value(text: str, i: int, tag_offset: int) -> tuple[str, int]:
    """Parse an attribute value (quoted or bare) starting at text[i]."""
    n = len(text)
    if i >= n:
        raise HtmlParseError(f"Unclosed start tag at byte offset {tag_offset}")
    chars: list[str] = []
    if text[i] not in "\"'":
        while i < n and not text[i].isspace() and text[i] != ">":
            chars.append(text[i])
            i += 1
        return "".join(chars), i
    quote = text[i]
    i += 1
    while i < n and text[i] != quote:
        if text[i] == "&":
            decoded, i = _decode_entity(text, i, strict_ampersand=False)
            chars.append(decoded)
        else:
            chars.append(text[i])
            i += 1
    if i >= n:
        raise HtmlParseError(f"Unclosed start tag at byte offset {tag_offset}")
    return "".join(chars), i + 1


def _parse_attributes(text: str, i: int, tag: str, tag_offset: int) -> tuple[dict[str, str], int]:
    """Parse attributes after a start tag name; returns (attrs, index after '>')."""
    attrs: dict[str, str] = {}
    n = len(text)
    while True:
        i = _skip_spaces(text, i)
        if i >= n:
            raise HtmlParseError(f"Unclosed start tag at byte offset {tag_offset}")
        if text[i] == ">":
            return attrs, i + 1
        begin = i
        while i < n and (text[i].isalnum() or text[i] in "-_"):
            i += 1
        if begin == i:
            raise HtmlParseError(
                f'Empty attribute name in the tag "{tag}" at byte offset {tag_offset}'
            )
        name = text[begin:i].lower()
        i = _skip_spaces(text, i)
        if i < n and text[i] == "=":
            attrs[name], i = _parse_attr_value(text, _skip_spaces(text, i + 1), tag_offset)
        else:
            attrs[name] = ""


def _entity_for(tag: _OpenTag, offset: int, length: int) -> JSON | None:
    entity: JSON = {"offset": offset, "length": length}
    if tag.name in _SIMPLE_TAGS:
        entity["type"] = _SIMPLE_TAGS[tag.name]
        language = tag.attrs.get("class", "")
        if tag.name in {"pre", "code"} and language.startswith("language-"):
            entity["language"] = language.removeprefix("language-")
    elif tag.name == "span":
        entity["type"] = "spoiler"
    elif tag.name == "blockquote":
        entity["type"] = "expandable_blockquote" if "expandable" in tag.attrs else "blockquote"
    elif tag.name == "tg-emoji":
        entity["type"] = "custom_emoji"
        entity["custom_emoji_id"] = tag.attrs.get("emoji-id", "")
    elif tag.name == "a":
        href = tag.attrs.get("href", "")
        if not href:
            return None
        entity["type"] = "text_link"
        entity["url"] = href
    # Telegram lists "type" first; keep that order for readable dumps.
    return {"type": entity.pop("type"), **entity}


class _HtmlParser:
    """Single-pass scanner mirroring TDLib's parse_html, including its error texts."""

    def __init__(self, text: str, strict_ampersand: bool) -> None:
        self.text = text
        self.strict_ampersand = strict_ampersand
        self.out: list[str] = []
        self.out_len = 0  # UTF-16 length of "".join(self.out)
        self.stack: list[_OpenTag] = []
        self.entities: list[JSON] = []

    def _emit(self, chars: str) -> None:
        self.out.append(chars)
        self.out_len += utf16_len(chars)

    def parse(self) -> tuple[str, list[JSON]]:
        text = self.text
        i = 0
        while i < len(text):
            char = text[i]
            if char == "&":
                decoded, i = _decode_entity(text, i, self.strict_ampersand)
                self._emit(decoded)
            elif char != "<":
                self._emit(char)
                i += 1
            elif text.startswith("</", i):
                i = self._end_tag(i)
            else:
                i = self._start_tag(i)
        if self.stack:
            raise HtmlParseError(
                f'Can\'t find end tag corresponding to start tag "{self.stack[-1].name}"'
            )
        return _strip_with_entities("".join(self.out), self.entities)

    def _end_tag(self, i: int) -> int:
        tag_offset = _byte_offset(self.text, i)
        end = self.text.find(">", i + 2)
        if end == -1:
            raise HtmlParseError(f"Unclosed end tag at byte offset {tag_offset}")
        name = self.text[i + 2 : end].strip().lower()
        if not self.stack:
            raise HtmlParseError(f"Unexpected end tag at byte offset {tag_offset}")
        if name != self.stack[-1].name:
            raise HtmlParseError(
                f"Unmatched end tag at byte offset {tag_offset}, expected "
                f'"</{self.stack[-1].name}>", found "</{name}>"'
            )
        open_tag = self.stack.pop()
        if self.out_len > open_tag.start:
            entity = _entity_for(open_tag, open_tag.start, self.out_len - open_tag.start)
            if entity is not None:
                self.entities.append(entity)
        return end + 1

    def _start_tag(self, i: int) -> int:
        text = self.text
        tag_offset = _byte_offset(text, i)
        j = i + 1
        while j < len(text) and text[j] in _TAG_NAME_CHARS:
            j += 1
        name = text[i + 1 : j].lower()
        if name not in _SUPPORTED_TAGS:
            raise HtmlParseError(f'Unsupported start tag "{name}" at byte offset {tag_offset}')
        attrs, after = _parse_attributes(text, j, name, tag_offset)
        if name == "span" and attrs.get("class") != "tg-spoiler":
            raise HtmlParseError(
                f'Tag "span" must have class "tg-spoiler" at byte offset {tag_offset}'
            )
        if name == "tg-emoji" and not attrs.get("emoji-id"):
            raise HtmlParseError(
                f'Tag "tg-emoji" must have attribute "emoji-id" at byte offset {tag_offset}'
            )
        self.stack.append(_OpenTag(name, attrs, self.out_len, tag_offset))
        return after


def parse_html(text: str, *, strict_ampersand: bool = True) -> tuple[str, list[JSON]]:
    """Parse Telegram's HTML parse mode like TDLib does.

    Returns the text the user sees (tags removed, entities decoded, surrounding
    whitespace stripped) and the message entities with UTF-16 offsets. Raises
    HtmlParseError with Telegram's wording for text Telegram would reject.
    """
    return _HtmlParser(text, strict_ampersand).parse()


def _strip_with_entities(text: str, entities: list[JSON]) -> tuple[str, list[JSON]]:
    # Telegram trims surrounding whitespace of every message and shifts entities to match.
    stripped = text.strip()
    if not stripped:
        return "", []
    lead = utf16_len(text[: len(text) - len(text.lstrip())])
    total = utf16_len(stripped)
    result: list[JSON] = []
    for entity in entities:
        start = max(entity["offset"] - lead, 0)
        end = min(entity["offset"] + entity["length"] - lead, total)
        if end > start:
            result.append({**entity, "offset": start, "length": end - start})
    result.sort(key=lambda e: (e["offset"], -e["length"]))
    return stripped, result


def _command_entities(text: str) -> list[JSON]:
    entities: list[JSON] = []
    for match in _COMMAND_RE.finditer(text):
        entities.append(
            {
                "type": "bot_command",
                "offset": utf16_len(text[: match.start()]),
                "length": utf16_len(match.group()),
            }
        )
    return entities


# --------------------------------------------------------------------------------------
# Users, recorded data and views
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FakeUser:
    """A Telegram user; its private chat with the bot has chat id == user id."""

    id: int
    first_name: str
    username: str | None = None
    last_name: str | None = None
    language_code: str | None = "id"

    def to_dict(self) -> JSON:
        user: JSON = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.last_name:
            user["last_name"] = self.last_name
        if self.username:
            user["username"] = self.username
        if self.language_code:
            user["language_code"] = self.language_code
        return user


UserLike = FakeUser | Mapping[str, Any]


def make_user(
    id: int,
    first_name: str,
    username: str | None = None,
    *,
    last_name: str | None = None,
    language_code: str | None = "id",
) -> FakeUser:
    return FakeUser(id, first_name, username, last_name, language_code)


def _user_dict(user: UserLike) -> JSON:
    if isinstance(user, FakeUser):
        return user.to_dict()
    data = dict(user)
    data.setdefault("is_bot", False)
    return data


@dataclass(frozen=True)
class UploadedFile:
    """A file part of a multipart request."""

    filename: str | None
    content_type: str
    data: bytes


class RecordedRequest(NamedTuple):
    """One API call as received; params are form strings (or UploadedFile / JSON values)."""

    method: str
    params: dict[str, Any]


class DocumentView(TypedDict):
    file_id: str
    file_name: str | None
    mime_type: str | None
    size: int
    data: bytes | None  # None when sent by file_id/URL without known content


class MessageView(TypedDict):
    message_id: int
    chat_id: int
    from_bot: bool
    sender_id: int | None
    date: int
    kind: str  # "text", "document", "photo", "voice", ... (first content field)
    text: str | None  # raw text or caption as sent, e.g. with HTML markup
    plain_text: str | None  # text or caption exactly as the user sees it
    parse_mode: str | None
    entities: list[JSON]
    reply_markup: JSON | None  # markup as sent, including reply keyboards
    buttons: list[JSON]  # inline buttons flattened row by row
    reply_to_message_id: int | None
    message_thread_id: int | None
    document: DocumentView | None  # for documents and photos sent by the bot
    edits: list[JSON]  # previous versions, oldest first
    deleted: bool
    message: JSON  # the full Telegram Message object in its current state


@dataclass
class _Stored:
    chat_id: int
    message_id: int
    data: JSON
    from_bot: bool
    kind: str
    raw_text: str | None
    plain_text: str | None
    parse_mode: str | None
    reply_markup: JSON | None
    document: DocumentView | None = None
    edits: list[JSON] = field(default_factory=list)
    deleted: bool = False

    def view(self) -> MessageView:
        sender = self.data.get("from") or self.data.get("sender_chat") or {}
        reply = self.data.get("reply_to_message")
        inline = (self.reply_markup or {}).get("inline_keyboard") or []
        entities_key = "entities" if "text" in self.data else "caption_entities"
        return MessageView(
            message_id=self.message_id,
            chat_id=self.chat_id,
            from_bot=self.from_bot,
            sender_id=sender.get("id"),
            date=self.data["date"],
            kind=self.kind,
            text=self.raw_text,
            plain_text=self.plain_text,
            parse_mode=self.parse_mode,
            entities=list(self.data.get(entities_key, [])),
            reply_markup=_deep_copy(self.reply_markup),
            buttons=[dict(b) for row in inline for b in row],
            reply_to_message_id=reply["message_id"] if reply else None,
            message_thread_id=self.data.get("message_thread_id"),
            document=DocumentView(**self.document) if self.document else None,
            edits=_deep_copy(self.edits),
            deleted=self.deleted,
            message=_deep_copy(self.data),
        )


def _deep_copy(value: _T) -> _T:
    # JSON round-trip is enough for Telegram objects and keeps views detached from state.
    if value is None:
        return value
    result: _T = json.loads(json.dumps(value))
    return result


@dataclass
class _Fault:
    kind: Literal["fail", "drop", "delay", "truncate", "hang"]
    status: int = 500
    retry_after: int | None = None
    seconds: float = 0.0
    description: str | None = None
    raw_body: str | None = None


@dataclass
class _PollSlot:
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    terminated: bool = False


class ApiError(Exception):
    """An error answer of the Bot API."""

    def __init__(self, code: int, description: str, parameters: JSON | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters

    def payload(self) -> JSON:
        body: JSON = {"ok": False, "error_code": self.code, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def _bad(description: str) -> ApiError:
    return ApiError(400, f"Bad Request: {description}")


# --------------------------------------------------------------------------------------
# Parameter helpers: values arrive as strings (forms) or native JSON values
# --------------------------------------------------------------------------------------


def _p_str(params: Mapping[str, Any], key: str) -> str | None:
    value = params.get(key)
    if value is None or isinstance(value, UploadedFile):
        return None
    return value if isinstance(value, str) else json.dumps(value)


def _p_int(params: Mapping[str, Any], key: str) -> int | None:
    value = params.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise _bad(f"invalid {key} specified")
    try:
        return int(value)
    except ValueError:
        raise _bad(f"invalid {key} specified") from None


def _p_bool(params: Mapping[str, Any], key: str) -> bool:
    value = params.get(key)
    if isinstance(value, str):
        return value.lower() in {"true", "1"}
    return bool(value)


def _p_json(params: Mapping[str, Any], key: str, error: str) -> Any:
    value = params.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            raise _bad(error) from None
    return value


# --------------------------------------------------------------------------------------
# The server
# --------------------------------------------------------------------------------------


class FakeTelegram:
    """In-process fake of the Telegram Bot API, served by aiohttp on 127.0.0.1."""

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        rate_limits: bool = True,
        private_per_second: int = 1,
        group_per_minute: int = 20,
        global_per_second: int = 30,
        privacy_mode: bool = False,
        strict_html_ampersand: bool = True,
        conflict_policy: Literal["reject_new", "terminate_old"] = "reject_new",
        callback_query_ttl: float | None = None,
        clock: Callable[[], float] = time.monotonic,
        wait_timeout: float = 5.0,
    ) -> None:
        self.host = host
        # Default for the wait_* helpers; raise it on slow, shared CI machines.
        self.wait_timeout = wait_timeout
        self._port = port
        self.rate_limits_enabled = rate_limits
        self.private_per_second = private_per_second
        self.group_per_minute = group_per_minute
        self.global_per_second = global_per_second
        self.privacy_mode = privacy_mode
        self.strict_html_ampersand = strict_html_ampersand
        self.conflict_policy = conflict_policy
        self.callback_query_ttl = callback_query_ttl
        self.clock = clock
        self.bot_user: JSON = dict(BOT_USER)

        # Inspection state (public, read by tests).
        self.requests: list[RecordedRequest] = []
        self.tokens: list[str] = []
        self.callback_answers: list[JSON] = []
        self.chat_actions: list[tuple[int, str]] = []
        self.flood_errors = 0
        # One entry per 429 from flood control: kind "global", "private" or "group" for a
        # breach of that window, "blocked" for a send into a scope under retry_after,
        # "injected" for a 429 from fail_next.
        self.flood_events: list[JSON] = []
        # Every answer that was not 200: {"method", "status", "description"}.
        self.error_answers: list[JSON] = []
        self.commands: dict[tuple[str, str], list[JSON]] = {}
        self.updates_created: list[JSON] = []

        self._chats: dict[int, JSON] = {}
        self._messages: dict[int, dict[int, _Stored]] = {}
        self._next_message_id: dict[int, int] = {}
        self._member_counts: dict[int, int] = {}
        self._member_status: dict[tuple[int, int], str] = {}
        self._linked: dict[int, int] = {}  # channel id -> discussion group id
        self._discussion: dict[tuple[int, int], int] = {}  # (channel, post) -> group msg
        self._bot_sent_order: list[_Stored] = []  # chronological across chats
        self._blocked: set[int] = set()
        self._removed_from: set[int] = set()
        # Channel direct-messages chats (Bot API 9.2): chat id -> user id -> topic id.
        self._dm_topics: dict[int, dict[int, int]] = {}
        self._senders: dict[int, set[int]] = {}
        self._files: dict[str, DocumentView] = {}
        self._file_counter = 0

        self._updates: list[JSON] = []
        self._next_update_id = FIRST_UPDATE_ID
        self._allowed_updates: frozenset[str] | None = None
        self._poll: _PollSlot | None = None
        self._waiters: set[asyncio.Event] = set()
        self._webhook_url = ""
        self._webhook_secret: str | None = None
        self._delivery_secret_override: str | None = None
        self._delivery_tasks: list[asyncio.Task[None]] = []
        self._delivering: set[int] = set()
        # One entry per webhook POST: {"update_id", "target" (index), "status" (0: no answer)}.
        self.webhook_deliveries: list[JSON] = []

        self._callback_queries: dict[str, JSON] = {}
        self._callback_counter = 0
        self._faults: dict[str, deque[_Fault]] = {}
        self._events: list[str] = []

        # Arrival times of accepted sends, per chat and for the whole bot.
        self._chat_sends: dict[int, deque[float]] = {}
        self._global_sends: deque[float] = deque()
        self._global_blocked_until = 0.0
        self._chat_blocked_until: dict[int, float] = {}

        self._runner: web.AppRunner | None = None
        self._closed = False
        self._handlers: dict[str, Callable[[dict[str, Any]], Any]] = {
            "getMe": self._get_me,
            "getUpdates": self._get_updates,
            "deleteWebhook": self._delete_webhook,
            "setWebhook": self._set_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "sendMessage": self._send_message,
            "editMessageText": self._edit_message_text,
            "editMessageCaption": self._edit_message_caption,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "answerCallbackQuery": self._answer_callback_query,
            "sendDocument": self._send_document,
            "sendPhoto": self._send_photo,
            "copyMessage": self._copy_message,
            "forwardMessage": self._forward_message,
            "sendChatAction": self._send_chat_action,
            "getChat": self._get_chat,
            "getChatMemberCount": self._get_chat_member_count,
            "getChatMember": self._get_chat_member,
            "deleteMessage": self._delete_message,
            "setMyCommands": self._set_my_commands,
            "getMyCommands": self._get_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "setMyDescription": self._return_true,
            "setMyShortDescription": self._return_true,
            "setMyName": self._return_true,
            "setChatMenuButton": self._return_true,
        }
        # Telegram treats method names case-insensitively.
        self._by_lower = {name.lower(): name for name in self._handlers}

    # ---------------------------------------------------------------- lifecycle

    @property
    def port(self) -> int:
        return self._port

    @property
    def base_url(self) -> str:
        if self._runner is None:
            raise RuntimeError("FakeTelegram is not started")
        return f"http://{self.host}:{self._port}"

    async def start(self) -> None:
        app = web.Application(client_max_size=50 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        # Control endpoints for manual play with the standalone server (curl-friendly).
        app.router.add_post("/_fake/send", self._control_send)
        app.router.add_post("/_fake/press", self._control_press)
        app.router.add_post("/_fake/group", self._control_group)
        app.router.add_get("/_fake/transcript", self._control_transcript)
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await runner.setup()
        site = web.TCPSite(runner, self.host, self._port)
        await site.start()
        server = site._server  # aiohttp offers no public accessor for the bound port
        sockets = getattr(server, "sockets", None) or []
        if sockets:
            self._port = int(sockets[0].getsockname()[1])
        self._runner = runner
        self._closed = False
        log.info("Fake Telegram Bot API listening on %s", self.base_url)

    async def stop(self) -> None:
        await self.stop_webhook_delivery()
        self._closed = True
        self._wake_pollers()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeTelegram:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    # ---------------------------------------------------------------- HTTP plumbing

    async def _read_params(self, request: web.Request) -> dict[str, Any]:
        params: dict[str, Any] = dict(request.query)
        if request.method != "POST" or not request.can_read_body:
            return params
        if request.content_type == "application/json":
            body = await request.json()
            if isinstance(body, dict):
                params.update(body)
            return params
        form = await request.post()
        for key, value in form.items():
            if isinstance(value, web.FileField):
                params[key] = UploadedFile(
                    filename=value.filename,
                    content_type=value.content_type,
                    data=value.file.read(),
                )
            elif isinstance(value, bytes):
                params[key] = value.decode("utf-8")
            else:
                params[key] = value
        return params

    @staticmethod
    def _json_response(body: JSON, status: int = 200) -> web.Response:
        return web.Response(
            status=status,
            text=json.dumps(body, ensure_ascii=False),
            content_type="application/json",
        )

    def _answer(self, method: str, body: JSON, status: int = 200) -> web.Response:
        if status != 200:
            self.error_answers.append(
                {"method": method, "status": status, "description": body.get("description")}
            )
        return self._json_response(body, status)

    async def _handle(  # noqa: PLR0911 (one exit per kind of Telegram answer)
        self, request: web.Request
    ) -> web.StreamResponse:
        # Telegram measures its limits when a request arrives, before reading the body.
        _arrival.set(self.clock())
        token = request.match_info["token"]
        raw_method = request.match_info["method"]
        method = self._by_lower.get(raw_method.lower(), raw_method)
        try:
            params = await self._read_params(request)
        except ValueError:
            return self._answer(
                method, ApiError(400, "Bad Request: can't parse request body").payload(), 400
            )
        self.requests.append(RecordedRequest(method, params))
        if token not in self.tokens:
            self.tokens.append(token)
        if not _TOKEN_RE.fullmatch(token):
            return self._answer(method, ApiError(401, "Unauthorized").payload(), 401)
        try:
            self._check_blocked_scope(method, params)
        except ApiError as error:
            return self._answer(method, error.payload(), error.code)

        fault = self._pop_fault(method)
        if fault is not None:
            response = await self._apply_fault(fault, method, request)
            if response is not None:
                return response

        handler = self._handlers.get(method)
        if handler is None:
            return self._answer(method, ApiError(404, "Not Found").payload(), 404)
        try:
            if method == "getUpdates":
                result = await self._get_updates(params, request)
            else:
                result = handler(params)
            if asyncio.iscoroutine(result):
                result = await result
        except ApiError as error:
            log.debug("%s -> %s %s", method, error.code, error.description)
            return self._answer(method, error.payload(), error.code)
        if fault is not None and fault.kind == "truncate":
            # The call was carried out, but its answer is cut off: the outcome is unknown
            # to the client, as when a proxy drops the end of a response.
            text = json.dumps({"ok": True, "result": result}, ensure_ascii=False)
            self.error_answers.append(
                {"method": method, "status": 200, "description": "truncated JSON"}
            )
            return web.Response(text=text[: len(text) // 2], content_type="application/json")
        return self._answer(method, {"ok": True, "result": result})

    def _pop_fault(self, method: str) -> _Fault | None:
        queue = self._faults.get(method)
        if not queue:
            return None
        fault = queue.popleft()
        if not queue:
            del self._faults[method]
        return fault

    async def _apply_fault(
        self, fault: _Fault, method: str, request: web.Request
    ) -> web.Response | None:
        if fault.kind in {"delay", "truncate"}:
            await asyncio.sleep(fault.seconds)
            return None  # then handle the request normally, just late (or cut off)
        if fault.kind == "hang":
            # Never answer and never carry the call out; give up once the client is gone.
            # aiohttp signals a client that went away by no event, so this polls.
            while not _client_gone(request) and not self._closed:  # noqa: ASYNC110
                await asyncio.sleep(0.05)
            raise asyncio.CancelledError
        if fault.kind == "drop":
            # Abort the TCP connection: the client sees a disconnect, never a response.
            if request.transport is not None:
                request.transport.abort()
            raise asyncio.CancelledError
        if fault.raw_body is not None:
            self.error_answers.append(
                {"method": method, "status": fault.status, "description": "non-JSON body"}
            )
            return web.Response(status=fault.status, text=fault.raw_body, content_type="text/html")
        parameters: JSON | None = None
        if fault.status == 429:
            retry_after = fault.retry_after if fault.retry_after is not None else 1
            parameters = {"retry_after": retry_after}
            description = fault.description or f"Too Many Requests: retry after {retry_after}"
            if self.rate_limits_enabled and method in _FLOOD_CONTROLLED_METHODS:
                # Telegram does not say what a 429 applies to; the strictest reading is all.
                self._global_blocked_until = max(
                    self._global_blocked_until, self._arrived() + retry_after
                )
                self._flood_event("injected", method, None, retry_after)
        else:
            if fault.retry_after is not None:
                parameters = {"retry_after": fault.retry_after}
            description = fault.description or _default_description(fault.status)
        return self._answer(
            method, ApiError(fault.status, description, parameters).payload(), fault.status
        )

    # ---------------------------------------------------------------- control endpoints

    @staticmethod
    def _control_user(body: Mapping[str, Any]) -> FakeUser:
        return make_user(
            int(body["user_id"]), str(body.get("first_name", "Warga")), body.get("username")
        )

    async def _control_call(
        self, request: web.Request, action: Callable[[JSON], JSON]
    ) -> web.Response:
        try:
            body = await request.json()
            return self._json_response({"ok": True, "result": action(body)})
        except (KeyError, TypeError, ValueError) as error:
            return self._json_response({"ok": False, "description": repr(error)}, 400)

    async def _control_send(self, request: web.Request) -> web.Response:
        """POST {"user_id", "first_name"?, "username"?, "chat_id"?, "text", "reply_to"?}."""

        def act(body: JSON) -> JSON:
            user = self._control_user(body)
            chat_id = int(body.get("chat_id", user.id))
            return self.user_sends_text(user, chat_id, str(body["text"]), body.get("reply_to"))

        return await self._control_call(request, act)

    async def _control_press(self, request: web.Request) -> web.Response:
        """POST {"user_id", "first_name"?, "chat_id"?, "message_id", "data"}."""

        def act(body: JSON) -> JSON:
            user = self._control_user(body)
            chat_id = int(body.get("chat_id", user.id))
            return self.user_presses(user, chat_id, int(body["message_id"]), str(body["data"]))

        return await self._control_call(request, act)

    async def _control_group(self, request: web.Request) -> web.Response:
        """POST {"chat_id", "title", "type"?}."""

        def act(body: JSON) -> JSON:
            kind: Literal["group", "supergroup"] = (
                "group" if body.get("type") == "group" else "supergroup"
            )
            return self.create_group(int(body["chat_id"]), str(body["title"]), kind)

        return await self._control_call(request, act)

    async def _control_transcript(self, _request: web.Request) -> web.Response:
        return web.Response(text=self.transcript() + "\n", content_type="text/plain")

    # ---------------------------------------------------------------- fault injection

    def fail_next(
        self,
        method: str,
        status: int = 500,
        retry_after: int | None = None,
        times: int = 1,
        *,
        description: str | None = None,
        raw_body: str | None = None,
    ) -> None:
        """Answer the next `times` calls of `method` with an error instead of handling them.

        status 429 always carries parameters.retry_after (default 1). raw_body sends a
        non-JSON body (like an nginx error page) instead of Telegram's JSON.
        """
        for _ in range(times):
            self._add_fault(
                method,
                _Fault(
                    "fail",
                    status=status,
                    retry_after=retry_after,
                    description=description,
                    raw_body=raw_body,
                ),
            )

    def fail_next_non_json(
        self, method: str, kind: NonJsonKind = "html", status: int = 502, times: int = 1
    ) -> None:
        """Answer the next `times` calls of `method` without Telegram's JSON.

        "html": an nginx error page with `status` (502, 503, 504); "empty": an empty body
        with `status`; "truncated": the call is carried out (the message is sent) but the
        200 answer is cut off halfway, so the client cannot know the outcome.
        """
        for _ in range(times):
            if kind == "truncated":
                self._add_fault(method, _Fault("truncate"))
            elif kind == "empty":
                self._add_fault(method, _Fault("fail", status=status, raw_body=""))
            else:
                page = _NGINX_PAGE.format(status=status, reason=_default_description(status))
                self._add_fault(method, _Fault("fail", status=status, raw_body=page))

    def drop_next(self, method: str, times: int = 1) -> None:
        """Close the connection without answering the next `times` calls of `method`."""
        for _ in range(times):
            self._add_fault(method, _Fault("drop"))

    def hang_next(self, method: str, times: int = 1) -> None:
        """Hold the next `times` calls of `method` unanswered and never carry them out.

        The request is in flight for as long as the client waits: the moment to kill it.
        """
        for _ in range(times):
            self._add_fault(method, _Fault("hang"))

    def delay_next(self, method: str, seconds: float, times: int = 1) -> None:
        """Handle the next `times` calls of `method` only after sleeping `seconds`."""
        for _ in range(times):
            self._add_fault(method, _Fault("delay", seconds=seconds))

    def _add_fault(self, method: str, fault: _Fault) -> None:
        canonical = self._by_lower.get(method.lower(), method)
        self._faults.setdefault(canonical, deque()).append(fault)

    # ---------------------------------------------------------------- chats

    def create_group(
        self,
        chat_id: int,
        title: str,
        type: Literal["group", "supergroup"] = "supergroup",
        *,
        username: str | None = None,
        is_forum: bool = False,
    ) -> JSON:
        """Register a group the bot is a member of; ids are negative (-100… for supergroups)."""
        if chat_id >= 0:
            raise ValueError("group chat ids are negative, e.g. -1001234567890")
        chat: JSON = {"id": chat_id, "type": type, "title": title}
        if username:
            chat["username"] = username
        if is_forum:
            chat["is_forum"] = True
        self._add_chat(chat)
        return dict(chat)

    def create_channel(self, chat_id: int, title: str, *, username: str | None = None) -> JSON:
        if chat_id >= 0:
            raise ValueError("channel ids are negative, e.g. -1009876543210")
        chat: JSON = {"id": chat_id, "type": "channel", "title": title}
        if username:
            chat["username"] = username
        self._add_chat(chat)
        return dict(chat)

    def create_channel_direct_messages(self, chat_id: int, title: str) -> JSON:
        """The direct-messages chat of a channel: each writer gets a topic of their own."""
        if chat_id >= 0:
            raise ValueError("direct-messages chat ids are negative")
        chat: JSON = {
            "id": chat_id,
            "type": "supergroup",
            "title": title,
            "is_direct_messages": True,
        }
        self._add_chat(chat)
        self._dm_topics[chat_id] = {}
        return dict(chat)

    def user_writes_to_channel(self, user: UserLike, chat_id: int, text: str) -> JSON:
        """A user writes to the channel itself (its direct-messages chat, in their topic)."""
        topics = self._dm_topics.get(chat_id)
        if topics is None:
            raise ValueError(f"{chat_id} is not a channel direct-messages chat")
        sender = _user_dict(user)
        topic_id = topics.setdefault(int(sender["id"]), 1000 + len(topics))
        content: JSON = {
            "text": text,
            "direct_messages_topic": {"topic_id": topic_id, "user": sender},
        }
        entities = _command_entities(text)
        if entities:
            content["entities"] = entities
        stored, _ = self._user_message(user, chat_id, content, None, None)
        self._log_message(stored)
        return self._deliver_message("message", stored) or {}

    def _direct_messages_topic(self, params: Mapping[str, Any], chat: JSON) -> JSON | None:
        """Telegram refuses a send into a channel's direct messages without a valid topic."""
        if not chat.get("is_direct_messages"):
            return None
        topic_id = _p_int(params, "direct_messages_topic_id")
        if topic_id is None:
            raise _bad("direct messages topic must be specified")
        for user_id, known in self._dm_topics.get(chat["id"], {}).items():
            if known == topic_id:
                return {"topic_id": topic_id, "user_id": user_id}
        raise _bad("direct messages topic not found")

    def open_private(self, user: UserLike) -> JSON:
        """Create the private chat of `user` with the bot (done implicitly on first message)."""
        data = _user_dict(user)
        chat_id = int(data["id"])
        if chat_id not in self._chats:
            chat: JSON = {"id": chat_id, "type": "private", "first_name": data["first_name"]}
            for key in ("last_name", "username"):
                if data.get(key):
                    chat[key] = data[key]
            self._add_chat(chat)
        return dict(self._chats[chat_id])

    def link_discussion(self, channel_id: int, group_id: int) -> None:
        """Make `group_id` the discussion group of `channel_id` (auto-forwards posts)."""
        if self._chat(channel_id)["type"] != "channel":
            raise ValueError(f"{channel_id} is not a channel")
        self._chat(group_id)
        self._linked[channel_id] = group_id

    def set_member_count(self, chat_id: int, count: int) -> None:
        self._member_counts[chat_id] = count

    def set_member_status(
        self,
        chat_id: int,
        user_id: int,
        status: Literal["creator", "administrator", "member", "restricted", "left", "kicked"],
    ) -> None:
        """What getChatMember answers for (chat_id, user_id); default "member"."""
        self._member_status[(chat_id, user_id)] = status

    def block_bot(self, user_id: int) -> None:
        """The user blocks the bot: sends to their private chat fail with 403."""
        self._blocked.add(user_id)

    def unblock_bot(self, user_id: int) -> None:
        self._blocked.discard(user_id)

    def remove_bot_from(self, chat_id: int) -> None:
        """The bot is kicked from a group/channel: sends there fail with 403."""
        self._removed_from.add(chat_id)

    def chat(self, chat_id: int) -> JSON:
        return dict(self._chat(chat_id))

    def _add_chat(self, chat: JSON) -> None:
        self._chats[chat["id"]] = chat
        self._messages.setdefault(chat["id"], {})
        self._next_message_id.setdefault(chat["id"], 1)

    def _chat(self, chat_id: int) -> JSON:
        try:
            return self._chats[chat_id]
        except KeyError:
            raise ValueError(
                f"unknown chat {chat_id}: use create_group/create_channel/open_private"
            ) from None

    def _chat_label(self, chat_id: int) -> str:
        chat = self._chats.get(chat_id)
        if chat is None:
            return str(chat_id)
        if chat["type"] == "private":
            return f"private:{chat.get('first_name', chat_id)}"
        if chat["type"] == "channel":
            return f"channel:{chat.get('title', chat_id)}"
        return str(chat.get("title", chat_id))

    # ---------------------------------------------------------------- updates (user side)

    def _push_update(self, kind: str, payload: JSON) -> JSON:
        update = {"update_id": self._next_update_id, kind: payload}
        self._next_update_id += 1
        self._updates.append(update)
        self.updates_created.append(update)
        self._wake_pollers()
        return _deep_copy(update)

    def raw_update(self, update: Mapping[str, Any]) -> JSON:
        """Queue any update as-is (update_id is assigned when missing)."""
        data = dict(update)
        if "update_id" not in data:
            data["update_id"] = self._next_update_id
        self._next_update_id = max(self._next_update_id, int(data["update_id"]) + 1)
        query = data.get("callback_query")
        if isinstance(query, dict) and isinstance(query.get("id"), str):
            # Telegram issued this query, forged data or not: its id can be answered once.
            self._callback_queries[query["id"]] = {
                "query": query,
                "created": self.clock(),
                "answered": False,
            }
        self._updates.append(data)
        self.updates_created.append(data)
        self._events.append(f"[raw update] {json.dumps(data, ensure_ascii=False)[:200]}")
        self._wake_pollers()
        return _deep_copy(data)

    def _new_message_id(self, chat_id: int) -> int:
        message_id = self._next_message_id[chat_id]
        self._next_message_id[chat_id] = message_id + 1
        return message_id

    def _chat_for_user(self, user: JSON, chat_id: int) -> JSON:
        if chat_id == user["id"]:
            self.open_private(user)
        chat = self._chat(chat_id)
        if chat["type"] == "private" and chat_id != user["id"]:
            raise ValueError("a user can only write in their own private chat with the bot")
        if chat["type"] != "private":
            self._senders.setdefault(chat_id, set()).add(user["id"])
        return chat

    def _reply_object(self, chat_id: int, message_id: int) -> JSON:
        stored = self._messages[chat_id].get(message_id)
        if stored is None or stored.deleted:
            raise ValueError(f"message {message_id} does not exist in chat {chat_id}")
        replied = _deep_copy(stored.data)
        replied.pop("reply_to_message", None)
        return replied

    def _user_message(
        self,
        user: UserLike,
        chat_id: int,
        content: JSON,
        reply_to_message_id: int | None,
        message_thread_id: int | None,
    ) -> tuple[_Stored, JSON]:
        sender = _user_dict(user)
        chat = self._chat_for_user(sender, chat_id)
        message_id = self._new_message_id(chat_id)
        data: JSON = {
            "message_id": message_id,
            "from": sender,
            "chat": dict(chat),
            "date": _now(),
        }
        if message_thread_id is not None:
            data["message_thread_id"] = message_thread_id
            if chat.get("is_forum"):
                data["is_topic_message"] = True
        if reply_to_message_id is not None:
            data["reply_to_message"] = self._reply_object(chat_id, reply_to_message_id)
        data.update(content)
        kind = next(k for k in content if k not in {"caption", "caption_entities", "entities"})
        raw = content.get("text", content.get("caption"))
        stored = _Stored(
            chat_id=chat_id,
            message_id=message_id,
            data=data,
            from_bot=False,
            kind=kind,
            raw_text=raw,
            plain_text=raw,
            parse_mode=None,
            reply_markup=None,
        )
        self._messages[chat_id][message_id] = stored
        return stored, data

    def _deliver_message(self, kind: str, stored: _Stored) -> JSON | None:
        """Queue an update for a user message unless privacy mode would hide it."""
        chat = self._chats[stored.chat_id]
        if self.privacy_mode and chat["type"] in {"group", "supergroup"}:
            text = stored.plain_text or ""
            reply = stored.data.get("reply_to_message") or {}
            addressed = (
                text.startswith("/")
                or f"@{self.bot_user['username']}".lower() in text.lower()
                or (reply.get("from") or {}).get("id") == self.bot_user["id"]
            )
            if not addressed:
                return None
        return self._push_update(kind, _deep_copy(stored.data))

    def user_sends_text(
        self,
        user: UserLike,
        chat_id: int,
        text: str,
        reply_to_message_id: int | None = None,
        message_thread_id: int | None = None,
    ) -> JSON:
        """A user writes `text`; returns the queued Update (or {} if privacy mode hid it)."""
        content: JSON = {"text": text}
        entities = _command_entities(text)
        if entities:
            content["entities"] = entities
        stored, _ = self._user_message(
            user, chat_id, content, reply_to_message_id, message_thread_id
        )
        self._log_message(stored)
        return self._deliver_message("message", stored) or {}

    def user_sends(
        self,
        user: UserLike,
        chat_id: int,
        reply_to_message_id: int | None = None,
        message_thread_id: int | None = None,
        **content: Any,
    ) -> JSON:
        """A user sends media: photo/document/voice/sticker/location/contact/video/audio...

        Pass True for a plausible default object or a dict to override fields, e.g.
        ``document={"file_name": "ktp.pdf"}``, ``location={"latitude": .., "longitude": ..}``,
        ``caption="..."``. Unknown keys are copied into the Message unchanged.
        """
        if not any(k not in {"caption"} for k in content):
            raise ValueError("user_sends needs a content field such as photo=True")
        message: JSON = {}
        sender = _user_dict(user)
        for key, value in content.items():
            message[key] = self._media_object(key, value, sender)
        stored, _ = self._user_message(
            user, chat_id, message, reply_to_message_id, message_thread_id
        )
        self._log_message(stored)
        return self._deliver_message("message", stored) or {}

    def _new_file_ids(self) -> tuple[str, str]:
        self._file_counter += 1
        n = self._file_counter
        return f"BQACAgUAAxkBAAI{n:08d}fake", f"AgAD{n:06d}"

    def _photo_sizes(self, overrides: JSON) -> list[JSON]:
        sizes: list[JSON] = []
        for width, height in ((90, 67), (320, 240), (1280, 960)):
            file_id, unique_id = self._new_file_ids()
            sizes.append(
                {
                    "file_id": file_id,
                    "file_unique_id": unique_id,
                    "width": width,
                    "height": height,
                    "file_size": width * height // 10,
                }
            )
        sizes[-1].update(overrides)
        return sizes

    def _media_object(self, key: str, value: Any, sender: JSON) -> Any:
        """Expand True / partial dicts of user_sends into Telegram-shaped objects."""
        if key == "caption" or not (value is True or isinstance(value, Mapping)):
            return value  # explicit lists/objects and unknown fields go in unchanged
        overrides: JSON = dict(value) if isinstance(value, Mapping) else {}
        if key == "photo":
            return self._photo_sizes(overrides)
        if key in _FILE_DEFAULTS:
            file_id, unique_id = self._new_file_ids()
            obj: JSON = {"file_id": file_id, "file_unique_id": unique_id, "file_size": 12345}
            return {**obj, **_FILE_DEFAULTS[key], **overrides}
        plain_defaults: dict[str, JSON] = {
            # Watampone, the capital of Kabupaten Bone.
            "location": {"latitude": -4.5386, "longitude": 120.3279},
            "contact": {
                "phone_number": "+6281234567890",
                "first_name": sender["first_name"],
                "user_id": sender["id"],
            },
        }
        return {**plain_defaults.get(key, {}), **overrides}

    def user_edits_text(
        self, user: UserLike, chat_id: int, message_id: int, new_text: str
    ) -> JSON:
        """A user edits their own text message; returns the edited_message Update."""
        sender = _user_dict(user)
        stored = self._messages.get(chat_id, {}).get(message_id)
        if stored is None or stored.from_bot or stored.data["from"]["id"] != sender["id"]:
            raise ValueError(f"user {sender['id']} has no message {message_id} in {chat_id}")
        if "text" not in stored.data:
            raise ValueError("only text messages can be edited with user_edits_text")
        stored.edits.append(self._snapshot(stored))
        stored.data["text"] = new_text
        entities = _command_entities(new_text)
        if entities:
            stored.data["entities"] = entities
        else:
            stored.data.pop("entities", None)
        stored.data["edit_date"] = _now()
        stored.raw_text = stored.plain_text = new_text
        self._events.append(
            f"[{self._chat_label(chat_id)}] {_name(sender)} edited #{message_id}: "
            f"{_indent(new_text)}"
        )
        return self._deliver_message("edited_message", stored) or {}

    def user_presses(
        self, user: UserLike, chat_id: int, message_id: int, callback_data: str
    ) -> JSON:
        """A user presses an inline button of a bot message; returns the callback_query Update."""
        sender = _user_dict(user)
        if chat_id == sender["id"]:
            self.open_private(sender)
        stored = self._messages.get(chat_id, {}).get(message_id)
        if stored is None or stored.deleted:
            raise ValueError(f"no message {message_id} in chat {chat_id}")
        buttons = [
            b
            for row in (stored.data.get("reply_markup") or {}).get("inline_keyboard", [])
            for b in row
        ]
        button = next((b for b in buttons if b.get("callback_data") == callback_data), None)
        if button is None:
            available = [b.get("callback_data") for b in buttons]
            raise ValueError(
                f"message {message_id} has no button with callback_data={callback_data!r}; "
                f"available: {available}"
            )
        self._callback_counter += 1
        query_id = str(4_300_000_000_000_000_000 + self._callback_counter)
        query: JSON = {
            "id": query_id,
            "from": sender,
            "message": _deep_copy(stored.data),
            "chat_instance": str(-abs(chat_id) * 7 - 1),
            "data": callback_data,
        }
        self._callback_queries[query_id] = {
            "query": query,
            "created": self.clock(),
            "answered": False,
        }
        self._events.append(
            f"[{self._chat_label(chat_id)}] {_name(sender)} pressed "
            f"[{button.get('text')}] (data={callback_data}) on #{message_id}"
        )
        return self._push_update("callback_query", query)

    def channel_posts(self, channel_id: int, text: str) -> JSON:
        """Post `text` in a channel; returns the channel_post Update.

        If a discussion group is linked, Telegram's automatic forward into the group is
        also queued as a `message` update (see `discussion_message`).
        """
        channel = self._chat(channel_id)
        if channel["type"] != "channel":
            raise ValueError(f"{channel_id} is not a channel")
        message_id = self._new_message_id(channel_id)
        date = _now()
        data: JSON = {
            "message_id": message_id,
            "sender_chat": dict(channel),
            "chat": dict(channel),
            "date": date,
            "text": text,
        }
        stored = _Stored(channel_id, message_id, data, False, "text", text, text, None, None)
        self._messages[channel_id][message_id] = stored
        self._log_message(stored)
        update = self._push_update("channel_post", _deep_copy(data))
        group_id = self._linked.get(channel_id)
        if group_id is not None:
            forward_id = self._new_message_id(group_id)
            forward: JSON = {
                "message_id": forward_id,
                "from": dict(TELEGRAM_SERVICE_USER),
                "sender_chat": dict(channel),
                "chat": dict(self._chats[group_id]),
                "date": date,
                "is_automatic_forward": True,
                "forward_origin": {
                    "type": "channel",
                    "chat": dict(channel),
                    "message_id": message_id,
                    "date": date,
                },
                "text": text,
            }
            forwarded = _Stored(
                group_id, forward_id, forward, False, "text", text, text, None, None
            )
            self._messages[group_id][forward_id] = forwarded
            self._discussion[(channel_id, message_id)] = forward_id
            self._events.append(
                f"[{self._chat_label(group_id)}] {channel['title']} #{forward_id} "
                f"(auto-forward of channel post #{message_id}): {_indent(text)}"
            )
            self._push_update("message", _deep_copy(forward))
        return update

    def discussion_message(self, channel_id: int, channel_message_id: int) -> JSON:
        """The automatic forward of a channel post in the linked group (Message dict)."""
        group_id = self._linked[channel_id]
        forward_id = self._discussion[(channel_id, channel_message_id)]
        return _deep_copy(self._messages[group_id][forward_id].data)

    @property
    def polling_active(self) -> bool:
        """True while a getUpdates call is being served (long poll in progress)."""
        return self._poll is not None

    def pending_updates(self) -> list[JSON]:
        """Updates queued and not yet confirmed by the bot."""
        return _deep_copy(self._updates)

    # ---------------------------------------------------------------- inspection

    def sent_messages(
        self, chat_id: int | None = None, *, include_deleted: bool = True
    ) -> list[MessageView]:
        """Messages sent by the bot (in chronological order), optionally in one chat."""
        return [
            stored.view()
            for stored in self._bot_sent_order
            if (chat_id is None or stored.chat_id == chat_id)
            and (include_deleted or not stored.deleted)
        ]

    def last_sent(self, chat_id: int | None = None) -> MessageView:
        messages = self.sent_messages(chat_id)
        if not messages:
            raise AssertionError(f"the bot sent nothing to {chat_id}\n{self.transcript()}")
        return messages[-1]

    def message(self, chat_id: int, message_id: int) -> MessageView:
        """Current state of any message (user's or bot's), with its edit history."""
        stored = self._messages.get(chat_id, {}).get(message_id)
        if stored is None:
            raise KeyError(f"no message {message_id} in chat {chat_id}")
        return stored.view()

    def calls(self, method: str) -> list[dict[str, Any]]:
        """Params of every recorded call of `method`, in order."""
        canonical = self._by_lower.get(method.lower(), method)
        return [r.params for r in self.requests if r.method == canonical]

    async def wait_for(
        self,
        predicate: Callable[[], _T | None],
        timeout: float | None = None,
        interval: float = 0.01,
        description: str = "",
    ) -> _T:
        """Poll `predicate` until it returns something truthy, and return that value."""
        timeout = self.wait_timeout if timeout is None else timeout
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            value = predicate()
            if value:
                return value
            if loop.time() >= deadline:
                raise AssertionError(
                    f"timed out after {timeout}s waiting for {description or predicate!r}\n"
                    + self.dump()
                )
            await asyncio.sleep(interval)

    async def wait_for_message(
        self,
        chat_id: int,
        contains: str,
        timeout: float | None = None,
        *,
        after_message_id: int | None = None,
    ) -> MessageView:
        """Wait for a bot message in `chat_id` whose displayed text contains `contains`.

        after_message_id restricts the search to newer messages (ids are per chat and
        shared by user and bot messages, so pass the id of the user's message).
        """

        def find() -> MessageView | None:
            for view in self.sent_messages(chat_id, include_deleted=False):
                if after_message_id is not None and view["message_id"] <= after_message_id:
                    continue
                if contains in (view["plain_text"] or ""):
                    return view
            return None

        return await self.wait_for(
            find, timeout, description=f"bot message in {chat_id} containing {contains!r}"
        )

    async def wait_for_request(
        self, method: str, count: int = 1, timeout: float | None = None
    ) -> None:
        """Wait until `method` has been called at least `count` times."""
        await self.wait_for(
            lambda: len(self.calls(method)) >= count,
            timeout,
            description=f"{count} call(s) of {method}",
        )

    def dump(self) -> str:
        """Transcript plus the last requests, for assertion messages."""
        recent = "\n".join(f"  {r.method} {_short_params(r.params)}" for r in self.requests[-15:])
        return (
            f"--- transcript ---\n{self.transcript()}\n"
            f"--- last requests ---\n{recent or '  (none)'}\n"
            f"--- pending updates: {len(self._updates)} ---"
        )

    def transcript(self) -> str:
        """Readable chronological log of the conversation across all chats."""
        return "\n".join(self._events)

    def _snapshot(self, stored: _Stored) -> JSON:
        return {
            "text": stored.raw_text,
            "plain_text": stored.plain_text,
            "reply_markup": _deep_copy(stored.reply_markup),
            "date": stored.data.get("edit_date", stored.data["date"]),
        }

    def _log_message(self, stored: _Stored) -> None:
        data = stored.data
        sender = data.get("from") or data.get("sender_chat") or {}
        who = "BOT" if stored.from_bot else _name(sender)
        reply = data.get("reply_to_message")
        extra = f" (reply to #{reply['message_id']})" if reply else ""
        if stored.kind == "text":
            body = _indent(stored.plain_text or "")
        else:
            body = f"<{stored.kind}{_describe_media(stored)}>"
            if stored.plain_text:
                body += " " + _indent(stored.plain_text)
        label = self._chat_label(stored.chat_id)
        line = f"[{label}] {who} #{stored.message_id}{extra}: {body}"
        buttons = _format_buttons(stored.reply_markup)
        if buttons:
            line += "\n    " + buttons
        self._events.append(line)

    # ---------------------------------------------------------------- rate limiting

    def _arrived(self) -> float:
        """Arrival time of the request being handled (now, outside a request)."""
        return _arrival.get(self.clock())

    @property
    def flood_breaches(self) -> list[JSON]:
        """429s for a window that was full: global, per private chat or per group."""
        return [e for e in self.flood_events if e["kind"] in {"global", "private", "group"}]

    @property
    def flood_violations(self) -> list[JSON]:
        """Sends that arrived while their scope was still under retry_after."""
        return [e for e in self.flood_events if e["kind"] == "blocked"]

    def bad_requests(self) -> list[JSON]:
        """Every 400 answer given so far."""
        return [answer for answer in self.error_answers if answer["status"] == 400]

    def _flood_event(self, kind: str, method: str, chat_id: int | None, retry_after: int) -> None:
        self.flood_errors += 1
        self.flood_events.append(
            {
                "kind": kind,
                "method": method,
                "chat_id": chat_id,
                "retry_after": retry_after,
                "at": self._arrived(),
            }
        )
        label = self._chat_label(chat_id) if chat_id is not None else "bot"
        self._events.append(
            f"[{label}] !! 429 flood control ({kind}) on {method}, retry after {retry_after}"
        )

    def _check_blocked_scope(self, method: str, params: Mapping[str, Any]) -> None:
        """A send into a scope that is under retry_after is refused and counted."""
        if not self.rate_limits_enabled or method not in _FLOOD_CONTROLLED_METHODS:
            return
        now = self._arrived()
        chat_id: int | None = None
        with contextlib.suppress(ApiError):
            chat_id = _p_int(params, "chat_id")
        until = self._global_blocked_until
        if chat_id is not None:
            until = max(until, self._chat_blocked_until.get(chat_id, 0.0))
        if now < until:
            retry_after = max(1, math.ceil(until - now))
            self._flood_event("blocked", method, chat_id, retry_after)
            raise ApiError(
                429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after}
            )

    def _check_rate(self, method: str, chat: JSON) -> None:
        """Refuse a send that would overfill a rolling window, measured at arrival."""
        if not self.rate_limits_enabled:
            return
        now = self._arrived()
        chat_id = chat["id"]
        _trim_window(self._global_sends, now, 1.0)
        if len(self._global_sends) >= self.global_per_second:
            retry_after = max(1, math.ceil(1.0 - (now - self._global_sends[0])))
            self._global_blocked_until = now + retry_after
            self._flood_event("global", method, chat_id, retry_after)
            raise ApiError(
                429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after}
            )
        scope = "private" if chat["type"] == "private" else "group"
        window = _RATE_WINDOW_SECONDS[scope]
        limit = self.private_per_second if scope == "private" else self.group_per_minute
        sends = self._chat_sends.setdefault(chat_id, deque())
        _trim_window(sends, now, window)
        if len(sends) >= limit:
            retry_after = max(1, math.ceil(window - (now - sends[0])))
            self._chat_blocked_until[chat_id] = now + retry_after
            self._flood_event(scope, method, chat_id, retry_after)
            raise ApiError(
                429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after}
            )

    def _consume_rate(self, chat: JSON) -> None:
        now = self._arrived()
        self._global_sends.append(now)
        self._chat_sends.setdefault(chat["id"], deque()).append(now)

    # ---------------------------------------------------------------- validation helpers

    def _resolve_chat(self, params: Mapping[str, Any], key: str = "chat_id") -> JSON:
        raw = params.get(key)
        if raw is None or raw == "":
            raise _bad(f"{key} is empty")
        if isinstance(raw, str) and raw.startswith("@"):
            name = raw[1:].lower()
            for chat in self._chats.values():
                if str(chat.get("username", "")).lower() == name and chat["type"] != "private":
                    return chat
            raise _bad("chat not found")
        chat_id = _p_int(params, key)
        if chat_id is None or chat_id not in self._chats:
            raise _bad("chat not found")
        return self._chats[chat_id]

    def _check_can_send(self, chat: JSON) -> None:
        chat_id = chat["id"]
        if chat["type"] == "private" and chat_id in self._blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        if chat_id in self._removed_from:
            if chat["type"] == "channel":
                raise ApiError(403, "Forbidden: bot is not a member of the channel chat")
            raise ApiError(403, f"Forbidden: bot was kicked from the {chat['type']} chat")

    def _parse_text(self, text: str, parse_mode: str | None) -> tuple[str, list[JSON]]:
        if parse_mode and parse_mode.lower() == "html":
            try:
                return parse_html(text, strict_ampersand=self.strict_html_ampersand)
            except HtmlParseError as error:
                raise _bad(f"can't parse entities: {error}") from None
        if parse_mode and parse_mode.lower() not in {"markdown", "markdownv2"}:
            raise _bad(f"unsupported parse_mode {parse_mode}")
        # Markdown modes are not parsed by this fake: the text is kept verbatim.
        return _strip_with_entities(text, [])

    def _validate_markup(self, params: Mapping[str, Any]) -> JSON | None:
        markup = _p_json(params, "reply_markup", "can't parse reply keyboard markup JSON object")
        if markup is None:
            return None
        generic = _bad("can't parse reply keyboard markup JSON object")
        if not isinstance(markup, dict):
            raise generic
        if "inline_keyboard" in markup:
            rows = markup["inline_keyboard"]
            if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
                raise _bad(
                    'field "inline_keyboard" of the InlineKeyboardMarkup should be an Array '
                    "of Arrays"
                )
            for row in rows:
                for button in row:
                    _validate_inline_button(button)
            return markup
        if "keyboard" in markup:
            rows = markup["keyboard"]
            if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
                raise _bad(
                    'field "keyboard" of the ReplyKeyboardMarkup should be an Array of Arrays'
                )
            for row in rows:
                for button in row:
                    if not isinstance(button, str) and not (
                        isinstance(button, dict) and isinstance(button.get("text"), str)
                    ):
                        raise _bad(
                            'can\'t parse keyboard button: Field "text" must be of type String'
                        )
            return markup
        if markup.get("remove_keyboard") is True or markup.get("force_reply") is True:
            return markup
        raise generic

    def _reply_target(self, params: Mapping[str, Any], chat: JSON) -> JSON | None:
        reply = _p_json(params, "reply_parameters", "can't parse reply parameters JSON object")
        if reply is None:
            legacy = _p_int(params, "reply_to_message_id")
            if legacy is None:
                return None
            reply = {
                "message_id": legacy,
                "allow_sending_without_reply": _p_bool(params, "allow_sending_without_reply"),
            }
        if not isinstance(reply, dict) or not isinstance(reply.get("message_id"), int):
            raise _bad("can't parse reply parameters JSON object")
        target_chat = chat["id"]
        if reply.get("chat_id") is not None:
            target_chat = self._resolve_chat(reply, "chat_id")["id"]
        stored = self._messages.get(target_chat, {}).get(reply["message_id"])
        if stored is None or stored.deleted:
            if reply.get("allow_sending_without_reply"):
                return None
            raise _bad("message to be replied not found")
        replied = _deep_copy(stored.data)
        replied.pop("reply_to_message", None)
        return replied

    def _thread_id(self, params: Mapping[str, Any], chat: JSON) -> int | None:
        thread = _p_int(params, "message_thread_id")
        if thread is not None and chat["type"] == "private":
            # Private chats have no topics; Telegram ignores the field there.
            return None
        return thread

    def _bot_message(
        self,
        chat: JSON,
        kind: str,
        content: JSON,
        *,
        raw_text: str | None,
        plain_text: str | None,
        parse_mode: str | None,
        markup: JSON | None,
        reply_to: JSON | None,
        thread_id: int | None,
        document: DocumentView | None = None,
        params: Mapping[str, Any] | None = None,
    ) -> _Stored:
        chat_id = chat["id"]
        message_id = self._new_message_id(chat_id)
        data: JSON = {"message_id": message_id}
        if chat["type"] == "channel":
            data["sender_chat"] = dict(chat)
        else:
            data["from"] = dict(self.bot_user)
        data["chat"] = dict(chat)
        data["date"] = _now()
        if thread_id is not None:
            data["message_thread_id"] = thread_id
            if chat.get("is_forum"):
                data["is_topic_message"] = True
        if reply_to is not None:
            data["reply_to_message"] = reply_to
        data.update(content)
        if markup is not None and "inline_keyboard" in markup:
            # Only inline keyboards are part of the Message object Telegram returns.
            data["reply_markup"] = {"inline_keyboard": markup["inline_keyboard"]}
        if params is not None:
            if _p_bool(params, "protect_content"):
                data["has_protected_content"] = True
            preview = _p_json(params, "link_preview_options", "can't parse link preview options")
            if isinstance(preview, dict) and preview:
                data["link_preview_options"] = preview
        stored = _Stored(
            chat_id=chat_id,
            message_id=message_id,
            data=data,
            from_bot=True,
            kind=kind,
            raw_text=raw_text,
            plain_text=plain_text,
            parse_mode=parse_mode,
            reply_markup=markup,
            document=document,
        )
        self._messages[chat_id][message_id] = stored
        self._bot_sent_order.append(stored)
        self._consume_rate(chat)
        self._log_message(stored)
        return stored

    def _editable(self, params: Mapping[str, Any], not_found: str) -> _Stored:
        if params.get("inline_message_id"):
            raise _bad("inline messages are not supported by the fake")
        chat = self._resolve_chat(params)
        message_id = _p_int(params, "message_id")
        if message_id is None:
            raise _bad("message identifier is not specified")
        stored = self._messages[chat["id"]].get(message_id)
        if stored is None or stored.deleted:
            raise _bad(not_found)
        if not stored.from_bot:
            raise _bad("message can't be edited")
        return stored

    def _apply_edit(
        self,
        stored: _Stored,
        *,
        text_key: str | None,
        raw: str | None,
        plain: str | None,
        entities: list[JSON],
        parse_mode: str | None,
        markup: JSON | None,
    ) -> JSON:
        inline = {"inline_keyboard": markup["inline_keyboard"]} if markup else None
        entities_key = "entities" if text_key == "text" else "caption_entities"
        same_text = text_key is None or (
            stored.data.get(text_key, "") == (plain or "")
            and stored.data.get(entities_key, []) == entities
        )
        if same_text and stored.data.get("reply_markup") == inline:
            raise _bad(
                "message is not modified: specified new message content and reply markup are "
                "exactly the same as a current content and reply markup of the message"
            )
        # Edits count against the same limits as sends.
        chat = self._chats[stored.chat_id]
        self._check_rate("editMessage", chat)
        self._consume_rate(chat)
        stored.edits.append(self._snapshot(stored))
        if text_key is not None:
            if plain:
                stored.data[text_key] = plain
            else:
                stored.data.pop(text_key, None)
            if entities:
                stored.data[entities_key] = entities
            else:
                stored.data.pop(entities_key, None)
            stored.raw_text = raw
            stored.plain_text = plain
            stored.parse_mode = parse_mode
        if inline is not None:
            stored.data["reply_markup"] = inline
        else:
            stored.data.pop("reply_markup", None)
        stored.reply_markup = markup
        stored.data["edit_date"] = _now()
        body = _indent(stored.plain_text or "") if text_key else "(reply markup)"
        line = f"[{self._chat_label(stored.chat_id)}] BOT edited #{stored.message_id}: {body}"
        buttons = _format_buttons(markup)
        if buttons:
            line += "\n    " + buttons
        elif stored.edits[-1]["reply_markup"]:
            line += "\n    (buttons removed)"
        self._events.append(line)
        return _deep_copy(stored.data)

    # ---------------------------------------------------------------- API methods

    def _return_true(self, _params: dict[str, Any]) -> bool:
        return True

    def _get_me(self, _params: dict[str, Any]) -> JSON:
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": not self.privacy_mode,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    def _delete_webhook(self, params: dict[str, Any]) -> bool:
        self._webhook_url = ""
        if _p_bool(params, "drop_pending_updates"):
            self._updates.clear()
        return True

    def _set_webhook(self, params: dict[str, Any]) -> bool:
        url = _p_str(params, "url") or ""
        if url and not url.startswith("https://"):
            raise _bad("bad webhook: An HTTPS URL must be provided for webhook")
        secret = _p_str(params, "secret_token")
        if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", secret):
            raise _bad("bad webhook: secret token contains unallowed characters")
        self._webhook_url = url
        self._webhook_secret = secret
        allowed = _p_json(params, "allowed_updates", "can't parse allowed updates")
        if isinstance(allowed, list):
            self._allowed_updates = frozenset(str(a) for a in allowed) if allowed else None
        self._wake_pollers()
        if _p_bool(params, "drop_pending_updates"):
            self._updates.clear()
        return True

    def _get_webhook_info(self, _params: dict[str, Any]) -> JSON:
        return {
            "url": self._webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }

    # ---------------------------------------------------------------- webhook delivery

    @property
    def webhook_url(self) -> str:
        return self._webhook_url

    def start_webhook_delivery(self, targets: list[str], *, secret: str | None = None) -> None:
        """Post queued updates to the bot like Telegram does once setWebhook was called.

        ``targets`` are the local addresses behind the public URL (the reverse proxy's
        upstreams, taken in turn). An update leaves the queue only on a 2xx answer; any
        other answer or a refused connection means "try again later", as in Telegram.
        ``secret`` overrides the header sent (None: the one given to setWebhook).
        """
        self._delivery_secret_override = secret
        for index, target in enumerate(targets):
            task = asyncio.create_task(self._deliver_webhooks(target, index))
            self._delivery_tasks.append(task)

    async def stop_webhook_delivery(self) -> None:
        for task in self._delivery_tasks:
            task.cancel()
        for task in self._delivery_tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._delivery_tasks = []

    def _next_for_delivery(self) -> JSON | None:
        for update in self._deliverable(len(self._updates) or 1):
            if update["update_id"] not in self._delivering:
                return update
        return None

    async def _deliver_webhooks(self, target: str, index: int) -> None:
        async with aiohttp.ClientSession() as client:
            while True:
                update = self._next_for_delivery() if self._webhook_url else None
                if update is None:
                    await asyncio.sleep(0.02)
                    continue
                update_id = int(update["update_id"])
                self._delivering.add(update_id)
                secret = self._delivery_secret_override or self._webhook_secret
                headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret else {}
                status = 0
                try:
                    async with client.post(
                        target, json=update, headers=headers, timeout=aiohttp.ClientTimeout(10)
                    ) as response:
                        status = response.status
                except (aiohttp.ClientError, TimeoutError):
                    status = 0
                finally:
                    self._delivering.discard(update_id)
                self.webhook_deliveries.append(
                    {"update_id": update_id, "target": index, "status": status}
                )
                if 200 <= status < 300:
                    self._updates = [u for u in self._updates if u["update_id"] != update_id]
                else:
                    await asyncio.sleep(0.2)

    def _wake_pollers(self) -> None:
        for event in self._waiters:
            event.set()

    def _deliverable(self, limit: int) -> list[JSON]:
        allowed = self._allowed_updates
        batch: list[JSON] = []
        kept: list[JSON] = []
        for update in self._updates:
            kind = next((k for k in update if k != "update_id"), "")
            wanted = kind in allowed if allowed is not None else kind not in _OPT_IN_UPDATE_TYPES
            if not wanted:
                continue  # Telegram never stores updates of types the bot did not ask for
            kept.append(update)
            if len(batch) < limit:
                batch.append(update)
        self._updates = kept
        return _deep_copy(batch)

    async def _get_updates(
        self, params: dict[str, Any], request: web.Request | None = None
    ) -> list[JSON]:
        if self._webhook_url:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; use "
                "deleteWebhook to delete the webhook first",
            )
        conflict = ApiError(
            409,
            "Conflict: terminated by other getUpdates request; make sure that only one bot "
            "instance is running",
        )
        if self._poll is not None:
            if self.conflict_policy == "reject_new":
                raise conflict
            self._poll.terminated = True
            self._poll.wake.set()
        offset = _p_int(params, "offset") or 0
        limit = min(max(_p_int(params, "limit") or 100, 1), 100)
        timeout = max(_p_int(params, "timeout") or 0, 0)
        allowed = _p_json(params, "allowed_updates", "can't parse allowed updates")
        if isinstance(allowed, list):
            # The filter persists across calls, as in Telegram; [] restores the default.
            self._allowed_updates = frozenset(str(a) for a in allowed) if allowed else None
        if offset > 0:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        elif offset < 0:
            self._updates = self._updates[offset:]

        slot = _PollSlot()
        self._poll = slot
        self._waiters.add(slot.wake)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        try:
            while True:
                if slot.terminated:
                    raise conflict
                batch = self._deliverable(limit)
                remaining = deadline - loop.time()
                if batch or remaining <= 0 or self._closed or _client_gone(request):
                    return batch
                slot.wake.clear()
                # Wake up regularly: a poller whose client went away (bot stopped or
                # restarted) must free the slot, or the next poll would get a 409.
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(slot.wake.wait(), min(remaining, 0.1))
        finally:
            self._waiters.discard(slot.wake)
            if self._poll is slot:
                self._poll = None

    def _send_message(self, params: dict[str, Any]) -> JSON:
        chat = self._resolve_chat(params)
        self._check_can_send(chat)
        text = _p_str(params, "text") or ""
        parse_mode = _p_str(params, "parse_mode")
        if not text.strip():
            raise _bad("message text is empty")
        plain, entities = self._parse_text(text, parse_mode)
        if not plain:
            raise _bad("message text is empty")
        if utf16_len(plain) > MAX_TEXT_LEN:
            raise _bad("message is too long")
        markup = self._validate_markup(params)
        reply_to = self._reply_target(params, chat)
        thread_id = self._thread_id(params, chat)
        topic = self._direct_messages_topic(params, chat)
        self._check_rate("sendMessage", chat)
        content: JSON = {"text": plain}
        if entities:
            content["entities"] = entities
        if topic is not None:
            content["direct_messages_topic"] = {"topic_id": topic["topic_id"]}
        stored = self._bot_message(
            chat,
            "text",
            content,
            raw_text=text,
            plain_text=plain,
            parse_mode=parse_mode,
            markup=markup,
            reply_to=reply_to,
            thread_id=thread_id,
            params=params,
        )
        return _deep_copy(stored.data)

    def _caption(self, params: Mapping[str, Any]) -> tuple[str | None, str | None, list[JSON]]:
        raw = _p_str(params, "caption")
        if not raw:
            return None, None, []
        plain, entities = self._parse_text(raw, _p_str(params, "parse_mode"))
        if utf16_len(plain) > MAX_CAPTION_LEN:
            raise _bad("message caption is too long")
        return raw, plain or None, entities

    def _input_file(self, params: Mapping[str, Any], key: str) -> DocumentView:
        value = params.get(key)
        if isinstance(value, str) and value.startswith("attach://"):
            # aiogram uploads every file under a random field referenced as attach://name.
            value = params.get(value.removeprefix("attach://"))
            if not isinstance(value, UploadedFile):
                raise _bad(f"wrong {key} attachment reference")
        if isinstance(value, UploadedFile):
            if not value.data:
                raise _bad("file must be non-empty")
            file_id, _ = self._new_file_ids()
            return DocumentView(
                file_id=file_id,
                file_name=value.filename,
                mime_type=value.content_type,
                size=len(value.data),
                data=value.data,
            )
        if isinstance(value, str) and value:
            if value in self._files:
                return self._files[value]
            if value.startswith(("http://", "https://")):
                file_id, _ = self._new_file_ids()
                name = value.rstrip("/").rsplit("/", 1)[-1] or None
                return DocumentView(
                    file_id=file_id, file_name=name, mime_type=None, size=0, data=None
                )
            raise _bad("wrong file identifier/HTTP URL specified")
        raise _bad(f"there is no {key} in the request")

    def _send_media(self, params: dict[str, Any], kind: Literal["document", "photo"]) -> JSON:
        chat = self._resolve_chat(params)
        self._check_can_send(chat)
        info = self._input_file(params, kind)
        raw, plain, entities = self._caption(params)
        markup = self._validate_markup(params)
        reply_to = self._reply_target(params, chat)
        thread_id = self._thread_id(params, chat)
        self._check_rate("sendDocument" if kind == "document" else "sendPhoto", chat)
        self._files[info["file_id"]] = info
        unique = f"AgAD{abs(hash(info['file_id'])) % 10**8:08d}"
        content: JSON = {}
        if kind == "document":
            document: JSON = {"file_id": info["file_id"], "file_unique_id": unique}
            if info["file_name"]:
                document["file_name"] = info["file_name"]
            if info["mime_type"]:
                document["mime_type"] = info["mime_type"]
            document["file_size"] = info["size"]
            content["document"] = document
        else:
            content["photo"] = [
                {
                    "file_id": info["file_id"],
                    "file_unique_id": unique,
                    "width": 1280,
                    "height": 960,
                    "file_size": info["size"],
                }
            ]
        if plain:
            content["caption"] = plain
        if entities:
            content["caption_entities"] = entities
        stored = self._bot_message(
            chat,
            kind,
            content,
            raw_text=raw,
            plain_text=plain,
            parse_mode=_p_str(params, "parse_mode"),
            markup=markup,
            reply_to=reply_to,
            thread_id=thread_id,
            document=info,
            params=params,
        )
        return _deep_copy(stored.data)

    def _send_document(self, params: dict[str, Any]) -> JSON:
        return self._send_media(params, "document")

    def _send_photo(self, params: dict[str, Any]) -> JSON:
        return self._send_media(params, "photo")

    def _edit_message_text(self, params: dict[str, Any]) -> JSON:
        stored = self._editable(params, "message to edit not found")
        if "text" not in stored.data:
            raise _bad("there is no text in the message to edit")
        text = _p_str(params, "text") or ""
        if not text.strip():
            raise _bad("message text is empty")
        parse_mode = _p_str(params, "parse_mode")
        plain, entities = self._parse_text(text, parse_mode)
        if not plain:
            raise _bad("message text is empty")
        if utf16_len(plain) > MAX_TEXT_LEN:
            raise _bad("message is too long")
        # Omitting reply_markup removes the inline keyboard, exactly like Telegram.
        markup = self._validate_markup(params)
        return self._apply_edit(
            stored,
            text_key="text",
            raw=text,
            plain=plain,
            entities=entities,
            parse_mode=parse_mode,
            markup=markup,
        )

    def _edit_message_caption(self, params: dict[str, Any]) -> JSON:
        stored = self._editable(params, "message to edit not found")
        if "text" in stored.data:
            raise _bad("there is no caption in the message to edit")
        raw, plain, entities = self._caption(params)
        markup = self._validate_markup(params)
        return self._apply_edit(
            stored,
            text_key="caption",
            raw=raw,
            plain=plain,
            entities=entities,
            parse_mode=_p_str(params, "parse_mode"),
            markup=markup,
        )

    def _edit_message_reply_markup(self, params: dict[str, Any]) -> JSON:
        stored = self._editable(params, "message to edit not found")
        markup = self._validate_markup(params)
        return self._apply_edit(
            stored,
            text_key=None,
            raw=None,
            plain=None,
            entities=[],
            parse_mode=None,
            markup=markup,
        )

    def _answer_callback_query(self, params: dict[str, Any]) -> bool:
        query_id = _p_str(params, "callback_query_id") or ""
        record = self._callback_queries.get(query_id)
        too_old = _bad("query is too old and response timeout expired or query ID is invalid")
        if record is None or record["answered"]:
            raise too_old
        if (
            self.callback_query_ttl is not None
            and self.clock() - record["created"] > self.callback_query_ttl
        ):
            raise too_old
        text = _p_str(params, "text")
        if text is not None and utf16_len(text) > MAX_CALLBACK_ANSWER_LEN:
            raise _bad("MESSAGE_TOO_LONG")
        record["answered"] = True
        query = record["query"]
        message = query.get("message") or {}
        answer: JSON = {
            "callback_query_id": query_id,
            "text": text,
            "show_alert": _p_bool(params, "show_alert"),
            "url": _p_str(params, "url"),
            "cache_time": _p_int(params, "cache_time") or 0,
            "user_id": query["from"]["id"],
            "chat_id": (message.get("chat") or {}).get("id"),
            "message_id": message.get("message_id"),
            "data": query.get("data"),
        }
        self.callback_answers.append(answer)
        kind = "alert" if answer["show_alert"] else "toast"
        shown = f"{kind}: {text}" if text else "(no text)"
        self._events.append(
            f"[{self._chat_label(answer['chat_id'])}] BOT answered button press {shown}"
        )
        return True

    def _source_message(self, params: Mapping[str, Any], not_found: str) -> _Stored:
        source_chat = self._resolve_chat(params, "from_chat_id")
        message_id = _p_int(params, "message_id")
        stored = self._messages[source_chat["id"]].get(message_id or 0)
        if stored is None or stored.deleted:
            raise _bad(not_found)
        return stored

    def _copy_message(self, params: dict[str, Any]) -> JSON:
        chat = self._resolve_chat(params)
        self._check_can_send(chat)
        source = self._source_message(params, "message to copy not found")
        content: JSON = {
            key: _deep_copy(value)
            for key, value in source.data.items()
            if key
            in {"text", "entities", "caption", "caption_entities", "photo", "document", "voice"}
            or key in {"sticker", "location", "contact", "audio", "video", "animation"}
        }
        raw, plain = source.raw_text, source.plain_text
        parse_mode = source.parse_mode
        if "caption" in params:
            raw, plain, entities = self._caption(params)
            parse_mode = _p_str(params, "parse_mode")
            content.pop("caption", None)
            content.pop("caption_entities", None)
            if plain:
                content["caption"] = plain
            if entities:
                content["caption_entities"] = entities
        markup = self._validate_markup(params)
        reply_to = self._reply_target(params, chat)
        self._check_rate("copyMessage", chat)
        stored = self._bot_message(
            chat,
            source.kind,
            content,
            raw_text=raw,
            plain_text=plain,
            parse_mode=parse_mode,
            markup=markup,
            reply_to=reply_to,
            thread_id=self._thread_id(params, chat),
            document=source.document,
            params=params,
        )
        return {"message_id": stored.message_id}

    def _forward_message(self, params: dict[str, Any]) -> JSON:
        chat = self._resolve_chat(params)
        self._check_can_send(chat)
        source = self._source_message(params, "message to forward not found")
        data = source.data
        origin: JSON
        if data.get("forward_origin"):
            origin = _deep_copy(data["forward_origin"])
        elif data["chat"]["type"] == "channel":
            origin = {
                "type": "channel",
                "chat": dict(data["chat"]),
                "message_id": data["message_id"],
                "date": data["date"],
            }
        else:
            origin = {"type": "user", "sender_user": dict(data["from"]), "date": data["date"]}
        content: JSON = {
            key: _deep_copy(value)
            for key, value in data.items()
            if key
            not in {
                "message_id",
                "from",
                "sender_chat",
                "chat",
                "date",
                "reply_to_message",
                "reply_markup",
                "edit_date",
                "message_thread_id",
                "is_topic_message",
                "is_automatic_forward",
                "forward_origin",
            }
        }
        content["forward_origin"] = origin
        self._check_rate("forwardMessage", chat)
        stored = self._bot_message(
            chat,
            source.kind,
            content,
            raw_text=source.raw_text,
            plain_text=source.plain_text,
            parse_mode=source.parse_mode,
            markup=None,
            reply_to=None,
            thread_id=self._thread_id(params, chat),
            document=source.document,
        )
        return _deep_copy(stored.data)

    def _send_chat_action(self, params: dict[str, Any]) -> bool:
        chat = self._resolve_chat(params)
        self._check_can_send(chat)
        action = _p_str(params, "action") or ""
        if action not in _CHAT_ACTIONS:
            raise _bad("wrong parameter action in request")
        self.chat_actions.append((chat["id"], action))
        return True

    def _get_chat(self, params: dict[str, Any]) -> JSON:
        chat = self._resolve_chat(params)
        info: JSON = {
            **chat,
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        }
        linked = self._linked.get(chat["id"])
        if linked is None:
            linked = next((c for c, g in self._linked.items() if g == chat["id"]), None)
        if linked is not None:
            info["linked_chat_id"] = linked
        return info

    def _get_chat_member_count(self, params: dict[str, Any]) -> int:
        chat = self._resolve_chat(params)
        if chat["id"] in self._member_counts:
            return self._member_counts[chat["id"]]
        if chat["type"] == "private":
            return 2
        return len(self._senders.get(chat["id"], set())) + 1

    def _get_chat_member(self, params: dict[str, Any]) -> JSON:
        chat = self._resolve_chat(params)
        user_id = _p_int(params, "user_id")
        if user_id is None:
            raise _bad("user not found")
        if user_id == self.bot_user["id"]:
            user: JSON = dict(self.bot_user)
        else:
            user = next(
                (
                    dict(s.data["from"])
                    for s in self._messages[chat["id"]].values()
                    if (s.data.get("from") or {}).get("id") == user_id
                ),
                {"id": user_id, "is_bot": False, "first_name": str(user_id)},
            )
        status = self._member_status.get((chat["id"], user_id), "member")
        member: JSON = {"status": status, "user": user}
        if status == "creator":
            member["is_anonymous"] = False
        elif status == "administrator":
            member.update(
                {
                    "can_be_edited": False,
                    "is_anonymous": False,
                    "can_manage_chat": True,
                    "can_delete_messages": True,
                    "can_manage_video_chats": False,
                    "can_restrict_members": True,
                    "can_promote_members": False,
                    "can_change_info": False,
                    "can_invite_users": True,
                    "can_post_stories": False,
                    "can_edit_stories": False,
                    "can_delete_stories": False,
                    "can_send_welcome_messages": False,
                }
            )
        elif status == "kicked":
            member["until_date"] = 0
        elif status == "restricted":
            member.update(
                {
                    "is_member": True,
                    "can_send_messages": False,
                    "can_send_audios": False,
                    "can_send_documents": False,
                    "can_send_photos": False,
                    "can_send_videos": False,
                    "can_send_video_notes": False,
                    "can_send_voice_notes": False,
                    "can_send_polls": False,
                    "can_send_other_messages": False,
                    "can_add_web_page_previews": False,
                    "can_change_info": False,
                    "can_invite_users": False,
                    "can_pin_messages": False,
                    "can_manage_topics": False,
                    "until_date": 0,
                }
            )
        return member

    def _delete_message(self, params: dict[str, Any]) -> bool:
        chat = self._resolve_chat(params)
        message_id = _p_int(params, "message_id")
        stored = self._messages[chat["id"]].get(message_id or 0)
        if stored is None or stored.deleted:
            raise _bad("message to delete not found")
        stored.deleted = True
        self._events.append(f"[{self._chat_label(chat['id'])}] BOT deleted #{message_id}")
        return True

    @staticmethod
    def _commands_key(params: Mapping[str, Any]) -> tuple[str, str]:
        scope = _p_json(params, "scope", "can't parse BotCommandScope JSON object")
        scope_key = json.dumps(scope or {"type": "default"}, sort_keys=True)
        return scope_key, _p_str(params, "language_code") or ""

    def _set_my_commands(self, params: dict[str, Any]) -> bool:
        commands = _p_json(params, "commands", "can't parse commands JSON object")
        if not isinstance(commands, list):
            raise _bad("can't parse commands JSON object")
        for command in commands:
            if not isinstance(command, dict):
                raise _bad("can't parse commands JSON object")
            if not _BOT_COMMAND_NAME_RE.fullmatch(str(command.get("command", ""))):
                raise _bad("BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise _bad("BOT_COMMAND_DESCRIPTION_INVALID")
        self.commands[self._commands_key(params)] = [
            {"command": c["command"], "description": c["description"]} for c in commands
        ]
        return True

    def _get_my_commands(self, params: dict[str, Any]) -> list[JSON]:
        return _deep_copy(self.commands.get(self._commands_key(params), []))

    def _delete_my_commands(self, params: dict[str, Any]) -> bool:
        self.commands.pop(self._commands_key(params), None)
        return True


# --------------------------------------------------------------------------------------
# Formatting helpers
# --------------------------------------------------------------------------------------


def _validate_inline_button(button: Any) -> None:
    if not isinstance(button, dict):
        raise _bad("can't parse reply keyboard markup JSON object")
    if not isinstance(button.get("text"), str):
        raise _bad('can\'t parse inline keyboard button: Field "text" must be of type String')
    actions = [key for key in _INLINE_BUTTON_ACTIONS if key in button]
    if not actions:
        raise _bad(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )
    if "callback_data" in button:
        data = button["callback_data"]
        if not isinstance(data, str) or not 1 <= len(data.encode("utf-8")) <= 64:
            raise _bad("BUTTON_DATA_INVALID")
    if "url" in button:
        url = button["url"]
        if not isinstance(url, str) or not url.startswith(("http://", "https://", "tg://")):
            raise _bad(f"inline keyboard button URL '{url}' is invalid: Wrong HTTP URL")


def _trim_window(window: deque[float], now: float, seconds: float) -> None:
    # A send counts for every arrival less than `seconds` after it.
    while window and now - window[0] >= seconds:
        window.popleft()


def _client_gone(request: web.Request | None) -> bool:
    if request is None:
        return False
    transport = request.transport
    return transport is None or transport.is_closing()


def _default_description(status: int) -> str:
    return {
        400: "Bad Request",
        401: "Unauthorized",
        403: "Forbidden",
        404: "Not Found",
        409: "Conflict",
        500: "Internal Server Error",
        502: "Bad Gateway",
        503: "Service Unavailable",
        504: "Gateway Timeout",
    }.get(status, f"Error {status}")


def _name(user: Mapping[str, Any]) -> str:
    name = str(user.get("first_name") or user.get("title") or user.get("id"))
    if user.get("username"):
        name += f" (@{user['username']})"
    return name


def _indent(text: str) -> str:
    return text.replace("\n", "\n    ")


def _describe_media(stored: _Stored) -> str:
    if stored.document is not None:
        doc = stored.document
        return f" {doc['file_name'] or doc['file_id']}, {doc['size']} bytes"
    obj = stored.data.get(stored.kind)
    if isinstance(obj, dict) and obj.get("file_name"):
        return f" {obj['file_name']}"
    return ""


def _format_buttons(markup: Mapping[str, Any] | None) -> str:
    if not markup:
        return ""
    if "inline_keyboard" in markup:
        rows = markup["inline_keyboard"]
        return " / ".join(
            " ".join(f"[{b.get('text')}" + _button_target(b) + "]" for b in row) for row in rows
        )
    if "keyboard" in markup:
        rows = markup["keyboard"]
        return "keyboard: " + " / ".join(
            " ".join(f"[{b if isinstance(b, str) else b.get('text')}]" for b in row)
            for row in rows
        )
    if markup.get("remove_keyboard"):
        return "(keyboard removed)"
    return ""


def _button_target(button: Mapping[str, Any]) -> str:
    if "callback_data" in button:
        return f" ->{button['callback_data']}"
    if "url" in button:
        return f" ->{button['url']}"
    return ""


def _short_params(params: Mapping[str, Any]) -> str:
    shown: list[str] = []
    for key, value in params.items():
        if isinstance(value, UploadedFile):
            text = f"<file {value.filename} {len(value.data)}B>"
        else:
            text = str(value)
        if len(text) > 80:
            text = text[:77] + "..."
        shown.append(f"{key}={text}")
    return " ".join(shown)


# --------------------------------------------------------------------------------------
# Standalone entry point
# --------------------------------------------------------------------------------------


async def _serve(host: str, port: int, rate_limits: bool) -> None:
    fake = FakeTelegram(host=host, port=port, rate_limits=rate_limits)
    await fake.start()
    log.info("Point the bot at TelegramAPIServer.from_base(%r)", fake.base_url)
    log.info(
        'Simulate a user: curl -X POST %s/_fake/send -d \'{"user_id": 42, "text": "/start"}\''
        " ; read the chat: curl %s/_fake/transcript",
        fake.base_url,
        fake.base_url,
    )
    try:
        await asyncio.Event().wait()
    finally:
        await fake.stop()


def main(argv: Iterable[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Fake Telegram Bot API server")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--no-rate-limits", action="store_true")
    args = parser.parse_args(list(argv) if argv is not None else None)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve(args.host, args.port, not args.no_rate_limits))


if __name__ == "__main__":
    main()
