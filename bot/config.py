"""Settings from the environment (or a .env file), validated once at start."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.domain.service_levels import parse_first_response_minutes, parse_resolution_days
from bot.domain.working_time import parse_working_hours

DEFAULT_WORKING_HOURS = "mon-thu 07:30-12:00,13:00-16:00; fri 07:30-11:30,13:30-16:30"
DEFAULT_RESOLUTION_DAYS = "pertanyaan=3,pengaduan=5,aspirasi=5,permintaan_informasi=10,komentar=3"


def _split_csv(value: Any) -> Any:
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        case_sensitive=False,
        env_ignore_empty=True,
    )

    bot_token: SecretStr | None = None
    telegram_api_base: str = "https://api.telegram.org"
    database_url: str = "sqlite+aiosqlite:///data/bot.db"
    admin_chat_id: int | None = None
    admin_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)
    official_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)
    timezone: str = "Asia/Makassar"

    agency_code: str = "diskominfo-bone"
    agency_name: str = "Dinas Komunikasi, Informatika dan Persandian Kabupaten Bone"
    channel_id: int | None = None
    discussion_chat_id: int | None = None

    kb_paths: Annotated[list[str], NoDecode] = Field(default_factory=list)
    suggestion_threshold: float = Field(default=0.5, ge=0.0, le=1.0)
    card_burst_limit: int = Field(default=10, ge=1, le=19)

    working_hours: str = DEFAULT_WORKING_HOURS
    cuti_bersama: Annotated[list[date], NoDecode] = Field(default_factory=list)
    first_response_minutes: int = Field(default=60, ge=1)
    # Per-kind overrides, e.g. "pengaduan=30,komentar=120"; other kinds use the value above.
    first_response_minutes_by_kind: str = ""
    resolution_days: str = DEFAULT_RESOLUTION_DAYS
    reminder_fraction: float = Field(default=0.75, gt=0.0, lt=1.0)
    # How long citizens' data is kept after their last message before it is pseudonymised
    # (UU 27/2022: no longer than needed; two years covers two yearly reports).
    data_retention_days: int = Field(default=730, ge=30)

    policy_text: str = (
        "Layanan informasi melalui media sosial dilaksanakan berdasarkan Peraturan Bupati "
        "Bone Nomor 22 Tahun 2019 tentang Pedoman Pengelolaan Media Sosial Pemerintah "
        "Daerah Kabupaten Bone, dengan asas faktual, keikutsertaan, keterlibatan dan mudah "
        "diakses, serta prinsip kredibel, integritas, profesional, responsif, terintegrasi "
        "dan keterwakilan."
    )
    sop_reference: str = "SOP Pelayanan Informasi melalui Media Sosial (Pasal 11)"
    official_accounts: Annotated[list[str], NoDecode] = Field(default_factory=list)
    # The decree that set the SOP (Pasal 11), e.g. "Keputusan Kepala Dinas Nomor 12 Tahun 2024".
    sop_decree_number: str = ""
    # Who signs the report (Pasal 15): name, NIP, pangkat/golongan and position.
    report_signer_name: str = ""
    report_signer_nip: str = ""
    report_signer_rank: str = ""
    report_signer_position: str = ""
    report_place: str = "Watampone"
    # PNG or JPEG of the agency logo for the letterhead (kop) of the report; empty: none.
    report_logo_path: str = ""

    log_level: str = "INFO"

    # --- production (issue 11): webhook intake, metrics, JSON logs -------------------------
    # "text" (default) or "json": one JSON object per line, for log collectors.
    log_format: str = "text"
    # Webhook intake instead of long polling (also `python -m bot run --webhook`).
    webhook_mode: bool = False
    # Public HTTPS address Telegram posts updates to, e.g. https://bot.example.go.id/tg/hook;
    # its path is the one served locally. Needed by `python -m bot run --webhook`.
    webhook_url: str = ""
    # Sent back by Telegram in X-Telegram-Bot-Api-Secret-Token; requests without it are refused.
    webhook_secret: SecretStr | None = None
    # Where the local server listens; the reverse proxy (TLS) forwards to it.
    webhook_host: str = "0.0.0.0"
    webhook_port: int = Field(default=8080, ge=0, le=65535)  # 0: any free port (tests)
    # Prometheus /metrics (and /health) on this port; unset: no metrics server.
    metrics_port: int | None = Field(default=None, ge=1, le=65535)

    # --- outreach (issue 12) ------------------------------------------------------------
    # /posting: an official approves each post before it reaches the channel.
    post_approval_required: bool = False
    # Seconds between two edits of a broadcast's progress card (Telegram limits edits too).
    broadcast_progress_seconds: float = Field(default=3.0, gt=0)

    # Words the agency treats as confidential (Pasal 12): an answer containing one needs
    # the admin's confirmation before it goes out. Comma-separated.
    ethics_confidential_words: Annotated[list[str], NoDecode] = Field(default_factory=list)

    @field_validator(
        "admin_ids",
        "official_ids",
        "kb_paths",
        "official_accounts",
        "ethics_confidential_words",
        mode="before",
    )
    @classmethod
    def _csv_list(cls, value: Any) -> Any:
        return _split_csv(value)

    @field_validator("cuti_bersama", mode="before")
    @classmethod
    def _csv_dates(cls, value: Any) -> Any:
        return _split_csv(value)

    @field_validator("working_hours")
    @classmethod
    def _working_hours(cls, value: str) -> str:
        parse_working_hours(value)
        return value

    @field_validator("resolution_days")
    @classmethod
    def _resolution_days(cls, value: str) -> str:
        parse_resolution_days(value)
        return value

    @field_validator("first_response_minutes_by_kind")
    @classmethod
    def _first_response_by_kind(cls, value: str) -> str:
        parse_first_response_minutes(value, 60)
        return value

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @field_validator("telegram_api_base")
    @classmethod
    def _http_base(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value.rstrip("/")

    @field_validator("log_format")
    @classmethod
    def _log_format(cls, value: str) -> str:
        if value.lower() not in {"text", "json"}:
            raise ValueError("must be text or json")
        return value.lower()

    @field_validator("webhook_url")
    @classmethod
    def _webhook_url(cls, value: str) -> str:
        if value and not value.startswith("https://"):
            raise ValueError("Telegram only posts to https:// addresses")
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _webhook_secret(cls, value: SecretStr | None) -> SecretStr | None:
        # Telegram accepts 1-256 characters A-Z, a-z, 0-9, _ and -.
        if value is not None and not re.fullmatch(
            r"[A-Za-z0-9_-]{1,256}", value.get_secret_value()
        ):
            raise ValueError("1-256 characters from A-Z, a-z, 0-9, _ and -")
        return value

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


class SettingsError(Exception):
    """Settings could not be loaded; the message names each bad variable."""


def load_settings(**overrides: Any) -> Settings:
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            name = str(error["loc"][0]).upper() if error["loc"] else "?"
            problems.append(f"{name}: {error['msg']}")
        raise SettingsError("; ".join(problems)) from None
