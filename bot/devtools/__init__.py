"""Tools for working on the bot without Telegram: a local Bot API simulator and the demo.

``telegram_api.FakeTelegram`` speaks the Bot API over HTTP with Telegram's limits and
failure modes; the end-to-end tests and ``python -m bot demo`` both run the real bot
against it. It ships with the package so the demo works after ``pip install``.
"""
