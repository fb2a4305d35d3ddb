"""Citizens rate an answer: the 👍/👎 and "Tambah komentar" buttons under it."""

from __future__ import annotations

from aiogram import Router
from aiogram.types import CallbackQuery
from sqlmodel.ext.asyncio.session import AsyncSession

from bot import texts
from bot.handlers.admin import answer_callback
from bot.keyboards import RateAction, RatingCallback
from bot.services.notifier import Notifier
from bot.services.ratings import Ratings
from bot.services.tickets import ActionRefused
from storage.models import User

router = Router(name=__name__)


@router.callback_query(RatingCallback.filter())
async def press_rating_button(
    query: CallbackQuery,
    callback_data: RatingCallback,
    session: AsyncSession,
    user: User | None,
    ratings: Ratings,
    notifier: Notifier,
) -> None:
    """A rating button under an answer."""
    if user is None:
        await answer_callback(session, notifier, query, texts.ALERT_RATING_NOT_YOURS, alert=True)
        return
    try:
        if callback_data.action == RateAction.COMMENT:
            chat_id = query.message.chat.id if query.message else user.telegram_id
            await ratings.request_comment(
                session, citizen=user, ticket_id=callback_data.ticket, chat_id=chat_id
            )
            reply = ""
        else:
            positive = callback_data.action == RateAction.UP
            await ratings.rate(
                session, citizen=user, ticket_id=callback_data.ticket, positive=positive
            )
            reply = texts.RATING_THANKS_UP if positive else texts.RATING_THANKS_DOWN
    except ActionRefused as refusal:
        await answer_callback(session, notifier, query, str(refusal), alert=True)
        return
    await answer_callback(session, notifier, query, reply, alert=not positive_or_empty(reply))


def positive_or_empty(reply: str) -> bool:
    # The 👎 thanks invites a comment: an alert keeps it on screen until it is read.
    return reply != texts.RATING_THANKS_DOWN
