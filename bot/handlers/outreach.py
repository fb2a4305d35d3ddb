"""Outreach: /langganan and /berhenti (citizens), /siaran and /posting (staff)."""

from __future__ import annotations

from typing import Any

from aiogram import F, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, Message
from sqlmodel.ext.asyncio.session import AsyncSession

from bot import texts
from bot.domain.enums import Role
from bot.domain.outreach import OPEN_DRAFT_STATES, DraftState, PostCategory
from bot.handlers.admin import answer_callback, is_staff, reply_notice, staff_or_refuse
from bot.handlers.extract import incoming_from, text_of
from bot.keyboards import PostAction, PostCallback
from bot.services.intake import Intake
from bot.services.notifier import Notifier
from bot.services.outreach import Broadcasts, Subscriptions
from bot.services.posts import PostDesk
from storage.models import PostDraft, User

router = Router(name=__name__)

AUTHOR_ACTIONS = frozenset(
    {PostAction.CATEGORY, PostAction.PUBLISH, PostAction.SUBMIT, PostAction.CANCEL}
)
# Which draft state each button belongs to: a button from an older step does nothing.
ACTION_STATES = {
    PostAction.CATEGORY: DraftState.CHOOSING,
    PostAction.PUBLISH: DraftState.PREVIEW,
    PostAction.SUBMIT: DraftState.PREVIEW,
    PostAction.CANCEL: None,
    PostAction.APPROVE: DraftState.AWAITING_APPROVAL,
    PostAction.REJECT: DraftState.AWAITING_APPROVAL,
}


@router.message(Command("langganan"), F.chat.type == "private")
async def subscribe(
    message: Message,
    session: AsyncSession,
    user: User | None,
    intake: Intake,
    notifier: Notifier,
    subscriptions: Subscriptions,
    update_id: int,
) -> None:
    """/langganan in a private chat."""
    await intake.record_inbound(
        session, incoming=incoming_from(message), user=user, update_id=update_id
    )
    added = await subscriptions.subscribe(session, telegram_id=message.chat.id)
    reply = texts.SUBSCRIBED if added else texts.ALREADY_SUBSCRIBED
    await reply_notice(session, notifier, message, reply)


@router.message(Command("berhenti"), F.chat.type == "private")
async def unsubscribe(
    message: Message,
    session: AsyncSession,
    user: User | None,
    intake: Intake,
    notifier: Notifier,
    subscriptions: Subscriptions,
    update_id: int,
) -> None:
    """/berhenti in a private chat."""
    await intake.record_inbound(
        session, incoming=incoming_from(message), user=user, update_id=update_id
    )
    ended = await subscriptions.unsubscribe(session, telegram_id=message.chat.id)
    reply = texts.UNSUBSCRIBED if ended else texts.NOT_SUBSCRIBED
    await reply_notice(session, notifier, message, reply)


@router.message(Command("siaran"), F.chat.type == "private")
async def start_broadcast(
    message: Message,
    command: CommandObject,
    session: AsyncSession,
    user: User | None,
    role: Role,
    notifier: Notifier,
    broadcasts: Broadcasts,
) -> None:
    """/siaran <teks>, or /siaran as a reply to the message to disseminate."""
    staff = await staff_or_refuse(session, notifier, message, user, role)
    if staff is None:
        return
    body = (command.args or "").strip()
    if not body and message.reply_to_message is not None:
        body = (text_of(message.reply_to_message) or "").strip()
    if not body:
        await reply_notice(session, notifier, message, texts.SIARAN_USAGE)
        return
    started = await broadcasts.start(
        session,
        author_id=staff.id,
        progress_chat_id=message.chat.id,
        body_html=texts.esc(body),
        actor=staff,
    )
    if started is None:
        await reply_notice(session, notifier, message, texts.SIARAN_NO_SUBSCRIBERS)


@router.message(Command("posting"), F.chat.type == "private")
async def start_post(
    message: Message,
    session: AsyncSession,
    user: User | None,
    role: Role,
    notifier: Notifier,
    posts: PostDesk,
) -> None:
    """/posting in an admin's private chat."""
    staff = await staff_or_refuse(session, notifier, message, user, role)
    if staff is None:
        return
    await posts.begin(session, author=staff, chat_id=message.chat.id)


async def writing_a_post(
    message: Message, session: AsyncSession, user: User | None, role: Role, posts: PostDesk
) -> dict[str, Any] | bool:
    """Filter: a staff member whose /posting draft waits for its content (not a command)."""
    if user is None or user.id is None or not is_staff(role):
        return False
    if (message.text or "").startswith("/"):
        return False
    draft = await posts.writing(session, author_id=user.id)
    return {"draft": draft} if draft is not None else False


@router.message(F.chat.type == "private", writing_a_post)
async def receive_post_content(
    message: Message, session: AsyncSession, notifier: Notifier, posts: PostDesk, draft: PostDraft
) -> None:
    """The content (written or forwarded) of a /posting draft."""
    content = message.text or message.caption
    if not content or not content.strip():
        await reply_notice(session, notifier, message, texts.POST_TEXT_ONLY)
        return
    await posts.write(session, draft=draft, content=content.strip())


@router.callback_query(PostCallback.filter())
async def press_post_button(
    query: CallbackQuery,
    callback_data: PostCallback,
    session: AsyncSession,
    user: User | None,
    role: Role,
    notifier: Notifier,
    posts: PostDesk,
) -> None:
    """A button of a /posting draft: category, publish, submit, cancel, approve, reject."""
    draft = await posts.find(session, draft_id=callback_data.draft)
    refusal = _refusal(callback_data.action, draft, user, role)
    if refusal is not None or draft is None or user is None:
        await answer_callback(
            session, notifier, query, refusal or texts.ALERT_POST_STALE, alert=True
        )
        return
    alert = await _apply(session, posts, callback_data, draft, user, role)
    await answer_callback(
        session, notifier, query, alert or texts.ALERT_POST_OK, alert=alert is not None
    )


def _refusal(
    action: PostAction, draft: PostDraft | None, user: User | None, role: Role
) -> str | None:
    """Why this press may not act (the role is the one stored in the database)."""
    if user is None or not is_staff(role):
        return texts.ALERT_NOT_ALLOWED
    if draft is None:
        return texts.ALERT_POST_STALE
    # The author works the draft; only an official approves or rejects it.
    allowed = draft.author_id == user.id if action in AUTHOR_ACTIONS else role == Role.OFFICIAL
    if not allowed:
        return texts.ALERT_NOT_ALLOWED
    return None if _state_fits(action, draft) else texts.ALERT_POST_STALE


def _state_fits(action: PostAction, draft: PostDraft) -> bool:
    wanted = ACTION_STATES[action]
    if wanted is None:
        return draft.state in {state.value for state in OPEN_DRAFT_STATES}
    return draft.state == wanted


async def _apply(
    session: AsyncSession,
    posts: PostDesk,
    data: PostCallback,
    draft: PostDraft,
    user: User,
    role: Role,
) -> str | None:
    """Do what the button says; returns an alert when it could not be done."""
    if data.action == PostAction.PUBLISH and posts.approval_required and role != Role.OFFICIAL:
        return texts.ALERT_NOT_ALLOWED  # the approval step may not be skipped
    if data.action == PostAction.CATEGORY:
        if data.category not in set(PostCategory):
            return texts.ALERT_POST_STALE
        await posts.choose(session, draft=draft, category=PostCategory(data.category))
    elif data.action in {PostAction.PUBLISH, PostAction.APPROVE}:
        if not await posts.publish(session, draft=draft, by=user):
            return texts.POST_NO_CHANNEL
    elif data.action == PostAction.SUBMIT:
        if not await posts.submit(session, draft=draft, author=user):
            return texts.POST_NO_OFFICIAL
    elif data.action == PostAction.REJECT:
        await posts.reject(session, draft=draft, by=user)
    else:
        await posts.cancel(session, draft=draft)
    return None
