"""Posts for the official channel (Pasal 8 huruf d, Pasal 10), written with /posting.

The draft lives in the ``post_draft`` table, so an admin can choose the category, write
the post and publish it across restarts, without a state machine in memory. Steps:
choose a category (buttons) → write or forward the content → preview with the hashtag
→ publish, or, with ``POST_APPROVAL_REQUIRED``, an official approves or rejects it.
"""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from bot import texts
from bot.clock import Clock
from bot.config import Settings
from bot.domain.audit import AuditAction
from bot.domain.enums import OutboxPurpose, Role
from bot.domain.outreach import CATEGORY_LABELS, DraftState, PostCategory, with_hashtag
from bot.keyboards import (
    post_approval_keyboard,
    post_category_keyboard,
    post_preview_keyboard,
)
from bot.services.audit import AuditTrail
from bot.services.notifier import Notifier
from storage import queries
from storage.models import PostDraft, User


class PostDesk:
    def __init__(
        self,
        *,
        settings: Settings,
        clock: Clock,
        notifier: Notifier,
        agency_id: int,
        audit: AuditTrail | None = None,
    ) -> None:
        self.settings = settings
        self.clock = clock
        self.notifier = notifier
        self.agency_id = agency_id
        self.audit = audit or AuditTrail(clock=clock, agency_id=agency_id)

    @property
    def approval_required(self) -> bool:
        return self.settings.post_approval_required

    async def find(self, session: AsyncSession, *, draft_id: int) -> PostDraft | None:
        return await queries.get_draft(session, draft_id=draft_id)

    async def writing(self, session: AsyncSession, *, author_id: int) -> PostDraft | None:
        """The author's draft waiting for its content, if any."""
        draft = await queries.open_draft(session, author_id=author_id)
        return draft if draft is not None and draft.state == DraftState.WRITING else None

    async def begin(self, session: AsyncSession, *, author: User, chat_id: int) -> PostDraft:
        """A new draft (an open one is cancelled) and the category buttons."""
        assert author.id is not None
        previous = await queries.open_draft(session, author_id=author.id)
        if previous is not None:
            self._set_state(previous, DraftState.CANCELLED)
        draft = await queries.add_draft(
            session,
            PostDraft(
                agency_id=self.agency_id,
                author_id=author.id,
                author_chat_id=chat_id,
                created_at=self.clock.now(),
                updated_at=self.clock.now(),
            ),
        )
        assert draft.id is not None
        await self.notifier.send_text(
            session,
            chat_id=chat_id,
            text=texts.POST_CHOOSE_CATEGORY,
            markup=post_category_keyboard(draft.id).model_dump(exclude_none=True),
            purpose=OutboxPurpose.POST_PREVIEW,
        )
        return draft

    async def choose(
        self, session: AsyncSession, *, draft: PostDraft, category: PostCategory
    ) -> None:
        draft.category = category.value
        self._set_state(draft, DraftState.WRITING)
        await self.notifier.send_text(
            session,
            chat_id=draft.author_chat_id,
            text=texts.POST_WRITE.format(label=texts.esc(CATEGORY_LABELS[category])),
            purpose=OutboxPurpose.POST_PREVIEW,
        )

    async def write(self, session: AsyncSession, *, draft: PostDraft, content: str) -> None:
        """The content arrived: show the preview with the hashtag and the next buttons."""
        draft.text = content
        self._set_state(draft, DraftState.PREVIEW)
        assert draft.id is not None
        await self.notifier.send_text(
            session,
            chat_id=draft.author_chat_id,
            text=self._preview(draft),
            markup=post_preview_keyboard(draft.id, approval=self.approval_required).model_dump(
                exclude_none=True
            ),
            purpose=OutboxPurpose.POST_PREVIEW,
        )

    async def submit(self, session: AsyncSession, *, draft: PostDraft, author: User) -> bool:
        """Send the preview to every official; False if there is none."""
        officials = await queries.telegram_ids_with_role(session, role=Role.OFFICIAL)
        if not officials:
            return False
        assert draft.id is not None
        self._set_state(draft, DraftState.AWAITING_APPROVAL)
        header = texts.POST_APPROVAL_REQUEST.format(
            author=texts.esc(author.first_name), label=texts.esc(self._label(draft))
        )
        for official in officials:
            await self.notifier.send_text(
                session,
                chat_id=official,
                text=f"{header}\n\n{self._body(draft)}",
                markup=post_approval_keyboard(draft.id).model_dump(exclude_none=True),
                purpose=OutboxPurpose.POST_PREVIEW,
            )
        await self._tell_author(session, draft, texts.POST_SENT_FOR_APPROVAL)
        return True

    async def publish(self, session: AsyncSession, *, draft: PostDraft, by: User) -> bool:
        """Queue the post for the official channel; False if no channel is set."""
        channel = self.settings.channel_id
        if channel is None:
            return False
        draft.approver_id = by.id if by.id != draft.author_id else draft.approver_id
        row = await self.notifier.send_text(
            session,
            chat_id=channel,
            text=self._body(draft),
            purpose=OutboxPurpose.POST,
            link_preview=None,
        )
        draft.post_outbox_id = row.id
        self._set_state(draft, DraftState.PUBLISHED)
        await self._audit(session, draft, by, outcome="published")
        await self._tell_author(session, draft, texts.POST_PUBLISHED)
        return True

    async def cancel(self, session: AsyncSession, *, draft: PostDraft) -> None:
        self._set_state(draft, DraftState.CANCELLED)
        await self._tell_author(session, draft, texts.POST_CANCELLED)

    async def reject(self, session: AsyncSession, *, draft: PostDraft, by: User) -> None:
        draft.approver_id = by.id
        self._set_state(draft, DraftState.REJECTED)
        await self._audit(session, draft, by, outcome="rejected")
        await self._tell_author(
            session, draft, texts.POST_REJECTED.format(official=texts.esc(by.first_name))
        )

    # ------------------------------------------------------------------ helpers

    async def _audit(
        self, session: AsyncSession, draft: PostDraft, by: User, *, outcome: str
    ) -> None:
        await self.audit.record(
            session,
            actor=by,
            action=AuditAction.POST_PUBLISH,
            target=f"post:{draft.id}",
            detail={"outcome": outcome, "category": draft.category or ""},
        )

    def _set_state(self, draft: PostDraft, state: DraftState) -> None:
        draft.state = state.value
        draft.updated_at = self.clock.now()

    async def _tell_author(self, session: AsyncSession, draft: PostDraft, text: str) -> None:
        await self.notifier.send_text(
            session, chat_id=draft.author_chat_id, text=text, purpose=OutboxPurpose.POST_PREVIEW
        )

    @staticmethod
    def _label(draft: PostDraft) -> str:
        return CATEGORY_LABELS[PostCategory(draft.category)] if draft.category else ""

    def _preview(self, draft: PostDraft) -> str:
        header = texts.POST_PREVIEW_HEADER.format(label=texts.esc(self._label(draft)))
        return f"{header}\n\n{self._body(draft)}"

    @staticmethod
    def _body(draft: PostDraft) -> str:
        """The post as the channel shows it: the escaped text and the category hashtag."""
        assert draft.category is not None
        return with_hashtag(texts.esc(draft.text or ""), PostCategory(draft.category))
