"""A Bot whose session records every request and answers from a queue (aiogram style)."""

from __future__ import annotations

from collections import deque
from collections.abc import AsyncGenerator
from datetime import UTC, datetime
from typing import Any, cast

from aiogram import Bot
from aiogram.client.session.base import BaseSession
from aiogram.methods import TelegramMethod
from aiogram.methods.base import Response, TelegramType
from aiogram.types import UNSET_PARSE_MODE, Chat, Message, ResponseParameters


class MockedSession(BaseSession):
    def __init__(self) -> None:
        super().__init__()
        self.responses: deque[Response[Any] | Exception] = deque()
        self.requests: list[TelegramMethod[Any]] = []
        self.closed = True
        self._next_message_id = 500

    def add_result(self, result: Any) -> None:
        self.responses.append(Response(ok=True, result=result))

    def add_error(self, code: int, description: str, retry_after: int | None = None) -> None:
        parameters = ResponseParameters(retry_after=retry_after) if retry_after else None
        self.responses.append(
            Response(ok=False, error_code=code, description=description, parameters=parameters)
        )

    def add_exception(self, error: Exception) -> None:
        """The next request raises ``error`` (a decode error, a timeout, anything)."""
        self.responses.append(error)

    async def close(self) -> None:
        self.closed = True

    async def make_request(
        self,
        bot: Bot,
        method: TelegramMethod[TelegramType],
        timeout: int | None = None,  # noqa: ARG002 (the interface's signature)
    ) -> TelegramType:
        self.closed = False
        self.requests.append(method)
        response = self.responses.popleft() if self.responses else self._default_response(method)
        if isinstance(response, Exception):
            raise response
        status = response.error_code or 200
        checked = self.check_response(bot, method, status, response.model_dump_json())
        return cast(TelegramType, checked.result)

    def _default_response(self, method: TelegramMethod[Any]) -> Response[Any]:
        name = method.__api_method__
        if name in {"sendMessage", "sendDocument", "copyMessage"}:
            self._next_message_id += 1
            chat_id = int(getattr(method, "chat_id", 0))
            message = Message(
                message_id=self._next_message_id,
                date=datetime(2026, 1, 1, tzinfo=UTC),
                chat=Chat(id=chat_id, type="private" if chat_id > 0 else "supergroup"),
                text=getattr(method, "text", None),
            )
            return Response(ok=True, result=message.model_dump(exclude_none=True))
        return Response(ok=True, result=True)

    async def stream_content(
        self,
        url: str,  # noqa: ARG002
        headers: dict[str, Any] | None = None,  # noqa: ARG002
        timeout: int = 30,  # noqa: ARG002
        chunk_size: int = 65536,  # noqa: ARG002
        raise_for_status: bool = True,  # noqa: ARG002
    ) -> AsyncGenerator[bytes, None]:  # pragma: no cover - the bot never downloads files
        yield b""

    def sent(self, name: str) -> list[TelegramMethod[Any]]:
        return [r for r in self.requests if r.__api_method__ == name]


class MockedBot(Bot):
    session: MockedSession

    def __init__(self) -> None:
        super().__init__("42:TEST", session=MockedSession())


__all__ = ["UNSET_PARSE_MODE", "MockedBot", "MockedSession"]
