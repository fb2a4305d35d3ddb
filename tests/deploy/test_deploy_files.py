"""The deployment files parse, name real settings and real commands, and agree."""

from __future__ import annotations

import configparser
import re
import shlex
from pathlib import Path
from typing import Any

import yaml

from bot.__main__ import build_parser
from bot.config import Settings

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
SETTINGS = {name.upper() for name in Settings.model_fields}


def compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((DEPLOY / "docker-compose.yml").read_text("utf-8"))
    return data


def unit(name: str) -> configparser.RawConfigParser:
    parser = configparser.RawConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string((DEPLOY / "systemd" / name).read_text("utf-8"))
    return parser


def assert_bot_command(argv: list[str]) -> None:
    """``python -m bot ...`` with arguments the real command line accepts."""
    assert argv[1:3] == ["-m", "bot"], argv
    build_parser().parse_args(argv[3:])


def test_compose_has_bot_and_postgres_wired_together() -> None:
    services = compose()["services"]
    assert {"bot", "postgres"} <= set(services)
    bot = services["bot"]
    env = bot["environment"]
    assert set(env) <= SETTINGS, set(env) - SETTINGS
    url = env["DATABASE_URL"]
    assert url.startswith("postgresql+asyncpg://")
    assert "@postgres:5432/" in url
    assert env["WEBHOOK_MODE"] == "true"
    assert env["WEBHOOK_PORT"] == "8080"
    assert bot["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert_bot_command(bot["healthcheck"]["test"][1:])
    assert {"8080", env["METRICS_PORT"]} <= set(bot["expose"])
    # The same database credentials on both sides.
    postgres = services["postgres"]["environment"]
    assert f"{postgres['POSTGRES_USER']}:" in url
    assert url.endswith(f"/{postgres['POSTGRES_DB']}")
    # The bot is reached through the proxy only (replicas cannot share a host port).
    assert "ports" not in bot
    nginx = (DEPLOY / "nginx.conf").read_text("utf-8")
    assert f"server bot:{env['WEBHOOK_PORT']}" in nginx


def test_dockerfile_runs_the_real_commands() -> None:
    text = (DEPLOY / "Dockerfile").read_text("utf-8")
    commands = re.findall(r"^(?:CMD|HEALTHCHECK .*CMD) (\[.*\])$", text, re.MULTILINE)
    assert len(commands) == 2
    for command in commands:
        assert_bot_command(yaml.safe_load(command))
    compose_build = compose()["services"]["bot"]["build"]
    assert (DEPLOY / compose_build["context"] / compose_build["dockerfile"]).resolve() == (
        DEPLOY / "Dockerfile"
    )


def test_systemd_units_run_real_commands_with_real_settings() -> None:
    for name in ("bone-bot.service", "bone-bot-webhook@.service", "bone-bot-health.service"):
        parser = unit(name)
        service = parser["Service"]
        assert service["EnvironmentFile"] == "/etc/bone-bot/env"
        for key in ("ExecStart", "ExecStartPre"):
            if key in service:
                assert_bot_command(shlex.split(service[key].replace("%i", "8081")))
        for line in (DEPLOY / "systemd" / name).read_text("utf-8").splitlines():
            if line.startswith("Environment="):
                variable = line.removeprefix("Environment=").split("=", 1)[0]
                assert variable in SETTINGS, variable
    polling = unit("bone-bot.service")["Service"]
    assert "--webhook" not in polling["ExecStart"]
    assert polling["Restart"] == "always"
    webhook = unit("bone-bot-webhook@.service")["Service"]
    assert "--webhook" in webhook["ExecStart"]
    # %i = 8081 gives metrics on 18081: a valid port, distinct per instance.
    ports = [
        line.split("=", 2)[2].replace("%i", "8081")
        for line in (DEPLOY / "systemd" / "bone-bot-webhook@.service").read_text().splitlines()
        if line.startswith("Environment=") and "_PORT=" in line
    ]
    assert sorted(ports) == ["18081", "8081"]
    timer = unit("bone-bot-health.timer")["Timer"]
    assert timer["Unit"] == "bone-bot-health.service"


def test_make_run_stays_the_embedded_sqlite_default() -> None:
    makefile = (ROOT / "Makefile").read_text("utf-8")
    run = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "$(PY) -m bot run" in run
    assert "--webhook" not in run
    defaults = Settings(_env_file=None)
    assert defaults.database_url.startswith("sqlite+aiosqlite:///")
    assert not defaults.webhook_mode
    assert defaults.metrics_port is None
