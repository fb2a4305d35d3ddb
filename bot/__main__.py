"""Command line: `python -m bot run | migrate | demo | roles | kb … | report … | dev …`."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import Sequence

from bot import texts
from bot.config import Settings, SettingsError, load_settings
from bot.logging_setup import configure_logging

logger = logging.getLogger(__name__)

EXIT_CONFIG = 2
EXIT_DATABASE = 3


def _settings_or_exit() -> Settings:
    try:
        return load_settings()
    except SettingsError as exc:
        sys.stderr.write(f"Configuration error: {exc}\n")
        raise SystemExit(EXIT_CONFIG) from None


def run_command(args: argparse.Namespace) -> int:
    settings = _settings_or_exit()
    if getattr(args, "webhook", False):
        settings = settings.model_copy(update={"webhook_mode": True})
    if settings.webhook_mode and (not settings.webhook_url or settings.webhook_secret is None):
        sys.stderr.write(
            "Configuration error: webhook mode needs WEBHOOK_URL (https://...) and "
            "WEBHOOK_SECRET (1-256 characters A-Z, a-z, 0-9, _ and -).\n"
        )
        return EXIT_CONFIG
    if settings.bot_token is None or not settings.bot_token.get_secret_value().strip():
        sys.stderr.write(texts.MISSING_TOKEN)
        return EXIT_CONFIG
    from aiogram.utils.token import TokenValidationError, validate_token

    try:
        validate_token(settings.bot_token.get_secret_value())
    except TokenValidationError:
        sys.stderr.write(
            "Configuration error: BOT_TOKEN does not look like a token from @BotFather "
            "(expected digits, a colon, then letters).\n"
        )
        return EXIT_CONFIG
    configure_logging(settings.log_level, settings.log_format)
    if not _migrate_or_report(settings):
        return EXIT_DATABASE
    return asyncio.run(_run_bot(settings))


def _migrate_or_report(settings: Settings) -> bool:
    """Migrate; a database that cannot be written (full, read-only) is named, no traceback."""
    from sqlalchemy.exc import SQLAlchemyError

    from storage.migrate import upgrade_database

    try:
        upgrade_database(settings.database_url)
    except (OSError, SQLAlchemyError) as exc:
        reason = f"{type(exc).__name__}: {exc}".splitlines()[0][:300]
        sys.stderr.write(
            "Database error: cannot prepare DATABASE_URL "
            f"({reason}). Is the disk full or read-only, or the server unreachable?\n"
        )
        return False
    return True


async def _run_bot(settings: Settings) -> int:
    from bot.app import build_application
    from bot.services.knowledge import KnowledgeService, knowledge_paths

    suggester = KnowledgeService(
        knowledge_paths(settings.kb_paths), threshold=settings.suggestion_threshold
    )
    app = await build_application(settings, suggester=suggester)
    from bot.scheduler import run_scheduler
    from bot.services.knowledge import watch_knowledge_files
    from bot.services.uptime import record_service_run

    app.background.extend([run_scheduler, watch_knowledge_files, record_service_run])
    from bot.services.outreach import watch_broadcasts

    app.background.append(
        lambda runtime: watch_broadcasts(runtime, app.services.broadcasts, every=1.0)
    )
    if settings.metrics_port is not None:
        from bot.metrics import serve_metrics

        app.background.append(serve_metrics)
    if settings.admin_chat_id is None:
        logger.warning("ADMIN_CHAT_ID is not set: cards wait in /antrian for admins")
    loop = asyncio.get_running_loop()
    main_task = asyncio.current_task()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(signum, lambda: main_task.cancel() if main_task else None)
    try:
        await app.run()
    except asyncio.CancelledError:
        logger.info("stopping")
    except Exception:
        logger.exception("the bot stopped")
        return 1
    finally:
        await app.close()
    return 0


def migrate_command(_args: argparse.Namespace) -> int:
    settings = _settings_or_exit()
    configure_logging(settings.log_level)
    from storage.migrate import upgrade_database

    upgrade_database(settings.database_url)
    sys.stdout.write("database is up to date\n")
    return 0


def roles_command(args: argparse.Namespace) -> int:
    settings = _settings_or_exit()
    from storage.migrate import upgrade_database

    upgrade_database(settings.database_url)
    return asyncio.run(_set_role(settings, args.telegram_id, args.role))


async def _set_role(settings: Settings, telegram_id: int, role_name: str) -> int:
    from bot.clock import SystemClock
    from bot.domain.enums import Role
    from storage import queries
    from storage.db import create_engine, create_session_maker

    engine = create_engine(settings.database_url)
    try:
        async with create_session_maker(engine)() as session:
            await queries.set_role(
                session, telegram_id=telegram_id, role=Role(role_name), now=SystemClock().now()
            )
            await session.commit()
    finally:
        await engine.dispose()
    sys.stdout.write(f"user {telegram_id} now has role {role_name}\n")
    return 0


def health_command(_args: argparse.Namespace) -> int:
    """Print the deployment's health as JSON; exit 0 ok, 1 degraded, 2 down."""
    settings = _settings_or_exit()
    configure_logging(settings.log_level, settings.log_format)
    return asyncio.run(_health(settings))


async def _health(settings: Settings) -> int:
    import json

    from bot.clock import SystemClock
    from bot.health import health_report
    from storage.db import create_engine, create_session_maker

    engine = create_engine(settings.database_url)
    try:
        report = await health_report(create_session_maker(engine), SystemClock())
    finally:
        await engine.dispose()
    sys.stdout.write(json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n")
    return report.exit_code


def demo_command(args: argparse.Namespace) -> int:
    from bot.devtools.demo import run_demo

    return asyncio.run(run_demo(speed=args.speed))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description="Telegram response assistant for Pemerintah Kabupaten Bone.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="migrate the database and start long polling")
    run.add_argument(
        "--webhook",
        action="store_true",
        help="serve Telegram's webhook (WEBHOOK_URL, WEBHOOK_SECRET, WEBHOOK_PORT) instead",
    )
    run.set_defaults(func=run_command)
    commands.add_parser(
        "health", help="database, leases, inbox and outbox backlog, last send (JSON)"
    ).set_defaults(func=health_command)
    commands.add_parser("migrate", help="apply database migrations").set_defaults(
        func=migrate_command
    )
    demo = commands.add_parser("demo", help="play a scripted day against a local Bot API")
    demo.add_argument("--speed", type=float, default=1.0, help="pause multiplier")
    demo.set_defaults(func=demo_command)
    roles = commands.add_parser("roles", help="set a user's role in the database")
    roles.add_argument("telegram_id", type=int)
    roles.add_argument("role", choices=["citizen", "admin", "official"])
    roles.set_defaults(func=roles_command)

    from bot.knowledge.cli import add_kb_parser
    from bot.reports.cli import add_evaluation_parser, add_report_parser
    from bot.reports.seed import add_dev_parser

    add_kb_parser(commands)
    add_report_parser(commands)
    add_dev_parser(commands)
    add_evaluation_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
