"""Typed callback data and keyboard builders. Every callback_data fits in 64 bytes."""

from __future__ import annotations

import enum

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot import texts
from bot.domain.enums import CloseReason, TicketKind
from bot.domain.outreach import CATEGORY_LABELS, PostCategory


class CardAction(enum.StrEnum):
    SEND = "s"
    NEXT = "n"
    EDIT = "e"
    IGNORE = "i"
    REASON = "r"
    BACK = "b"
    KIND = "k"
    SET_KIND = "sk"
    SAVE_FAQ = "f"
    QUEUE_NEXT = "q"
    ATTACHMENTS = "a"
    PRIVATE_COPY = "p"
    # The ethics-check notice; ``arg`` is the id of the ETHICS_HELD ticket event.
    ETHICS_SEND = "es"
    ETHICS_EDIT = "ee"
    ETHICS_CANCEL = "ec"


class TicketCallback(CallbackData, prefix="t"):
    action: CardAction
    ticket: int
    arg: int = 0


IGNORE_REASONS: tuple[CloseReason, ...] = (
    CloseReason.SPAM,
    CloseReason.DUPLICATE,
    CloseReason.NOT_OUR_AUTHORITY,
)
KINDS: tuple[TicketKind, ...] = tuple(TicketKind)


def _button(label: str, action: CardAction, ticket: int, arg: int = 0) -> InlineKeyboardButton:
    data = TicketCallback(action=action, ticket=ticket, arg=arg).pack()
    return InlineKeyboardButton(text=label, callback_data=data)


def open_card_keyboard(
    ticket_id: int,
    *,
    has_suggestion: bool,
    in_queue: bool,
    attachments: int = 0,
    private_copy: bool | None = None,
) -> InlineKeyboardMarkup:
    """``private_copy`` is None for tickets that are not comments (no such choice)."""
    rows: list[list[InlineKeyboardButton]] = []
    if has_suggestion:
        rows.append(
            [
                _button(texts.BTN_SEND, CardAction.SEND, ticket_id),
                _button(texts.BTN_NEXT, CardAction.NEXT, ticket_id),
            ]
        )
    rows.append(
        [
            _button(texts.BTN_EDIT, CardAction.EDIT, ticket_id),
            _button(texts.BTN_IGNORE, CardAction.IGNORE, ticket_id),
            _button(texts.BTN_KIND, CardAction.KIND, ticket_id),
        ]
    )
    if attachments:
        label = texts.BTN_ATTACHMENTS.format(count=attachments)
        rows.append([_button(label, CardAction.ATTACHMENTS, ticket_id)])
    if private_copy is not None:
        label = texts.BTN_PRIVATE_COPY_ON if private_copy else texts.BTN_PRIVATE_COPY_OFF
        rows.append([_button(label, CardAction.PRIVATE_COPY, ticket_id)])
    if in_queue:
        rows.append([_button(texts.BTN_QUEUE_NEXT, CardAction.QUEUE_NEXT, ticket_id)])
    return InlineKeyboardMarkup(inline_keyboard=rows)


def ignore_reason_keyboard(ticket_id: int) -> InlineKeyboardMarkup:
    rows = [
        [_button(texts.CLOSE_REASON_LABELS[reason], CardAction.REASON, ticket_id, index)]
        for index, reason in enumerate(IGNORE_REASONS)
    ]
    rows.append([_button(texts.BTN_BACK, CardAction.BACK, ticket_id)])
    return InlineKeyboardMarkup(inline_keyboard=rows)


def kind_keyboard(ticket_id: int) -> InlineKeyboardMarkup:
    rows = [
        [_button(texts.KIND_LABELS[kind], CardAction.SET_KIND, ticket_id, index)]
        for index, kind in enumerate(KINDS)
    ]
    rows.append([_button(texts.BTN_BACK, CardAction.BACK, ticket_id)])
    return InlineKeyboardMarkup(inline_keyboard=rows)


def closed_card_keyboard(ticket_id: int, *, can_save_faq: bool) -> InlineKeyboardMarkup | None:
    if not can_save_faq:
        return None
    return InlineKeyboardMarkup(
        inline_keyboard=[[_button(texts.BTN_SAVE_FAQ, CardAction.SAVE_FAQ, ticket_id)]]
    )


# --- outreach (issue 12): /posting drafts ---------------------------------------------


class PostAction(enum.StrEnum):
    CATEGORY = "c"
    PUBLISH = "p"
    SUBMIT = "s"
    CANCEL = "x"
    APPROVE = "a"
    REJECT = "r"


class PostCallback(CallbackData, prefix="pd"):
    action: PostAction
    draft: int
    category: str = ""


def _post_button(
    label: str, action: PostAction, draft: int, category: str = ""
) -> InlineKeyboardButton:
    data = PostCallback(action=action, draft=draft, category=category).pack()
    return InlineKeyboardButton(text=label, callback_data=data)


def post_category_keyboard(draft: int) -> InlineKeyboardMarkup:
    """One button per Pasal 10 category, in the order of the article."""
    rows = [
        [_post_button(CATEGORY_LABELS[category], PostAction.CATEGORY, draft, category.value)]
        for category in PostCategory
    ]
    rows.append([_post_button(texts.BTN_POST_CANCEL, PostAction.CANCEL, draft)])
    return InlineKeyboardMarkup(inline_keyboard=rows)


def post_preview_keyboard(draft: int, *, approval: bool) -> InlineKeyboardMarkup:
    first = (
        _post_button(texts.BTN_POST_SUBMIT, PostAction.SUBMIT, draft)
        if approval
        else _post_button(texts.BTN_POST_PUBLISH, PostAction.PUBLISH, draft)
    )
    cancel = _post_button(texts.BTN_POST_CANCEL, PostAction.CANCEL, draft)
    return InlineKeyboardMarkup(inline_keyboard=[[first, cancel]])


def post_approval_keyboard(draft: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                _post_button(texts.BTN_POST_APPROVE, PostAction.APPROVE, draft),
                _post_button(texts.BTN_POST_REJECT, PostAction.REJECT, draft),
            ]
        ]
    )


class EraseCallback(CallbackData, prefix="erase"):
    """The citizen's answer to the /hapusdata confirmation."""

    confirm: bool


def erase_confirm_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text=texts.BUTTON_ERASE_CONFIRM,
                    callback_data=EraseCallback(confirm=True).pack(),
                ),
                InlineKeyboardButton(
                    text=texts.BUTTON_ERASE_CANCEL,
                    callback_data=EraseCallback(confirm=False).pack(),
                ),
            ]
        ]
    )


class RateAction(enum.StrEnum):
    UP = "u"
    DOWN = "d"
    COMMENT = "c"


class RatingCallback(CallbackData, prefix="rt"):
    action: RateAction
    ticket: int


def rating_keyboard(ticket_id: int) -> InlineKeyboardMarkup:
    """👍/👎 and "Tambah komentar" under an answer in the citizen's chat."""

    def button(label: str, action: RateAction) -> InlineKeyboardButton:
        data = RatingCallback(action=action, ticket=ticket_id).pack()
        return InlineKeyboardButton(text=label, callback_data=data)

    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                button(texts.BTN_RATE_UP, RateAction.UP),
                button(texts.BTN_RATE_DOWN, RateAction.DOWN),
            ],
            [button(texts.BTN_RATE_COMMENT, RateAction.COMMENT)],
        ]
    )


def ethics_hold_keyboard(ticket_id: int, held_event_id: int) -> InlineKeyboardMarkup:
    """`Kirim tetap` / `Ubah` / `Batal` under the notice of an answer the check held."""
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                _button(texts.BTN_ETHICS_SEND, CardAction.ETHICS_SEND, ticket_id, held_event_id),
                _button(texts.BTN_ETHICS_EDIT, CardAction.ETHICS_EDIT, ticket_id, held_event_id),
                _button(
                    texts.BTN_ETHICS_CANCEL, CardAction.ETHICS_CANCEL, ticket_id, held_event_id
                ),
            ]
        ]
    )
