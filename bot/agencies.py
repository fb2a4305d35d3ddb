"""The agencies file (AGENCIES_FILE): several Perangkat Daerah in one deployment (Pasal 16).

Each ``[[agency]]`` table in the TOML file gives one agency its own bot token, admin group,
officials, admins, knowledge base and channel; ``evaluator = true`` marks the Dinas that runs
``/evaluasi``. ``agency_settings`` overlays each entry on the deployment's settings, so
targets and working hours stay shared. With no file the single-agency settings are used
unchanged (``agency_settings`` returns just them).

    [[agency]]
    code = "diskominfo-bone"
    name = "Dinas Komunikasi, Informatika dan Persandian Kabupaten Bone"
    token = "123:abc"
    admin_chat_id = -1001
    official_ids = [11]
    evaluator = true
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, SecretStr, model_validator

from bot.config import Settings


class AgencyEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str = Field(min_length=1)
    name: str = Field(min_length=1)
    token: SecretStr
    admin_chat_id: int
    official_ids: list[int] = Field(default_factory=list)
    admin_ids: list[int] = Field(default_factory=list)
    kb_paths: list[str] = Field(default_factory=list)
    channel_id: int | None = None
    evaluator: bool = False


class AgenciesFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    agency: list[AgencyEntry] = Field(min_length=1)

    @model_validator(mode="after")
    def _distinct(self) -> AgenciesFile:
        for what, values in (
            ("code", [a.code for a in self.agency]),
            ("token", [a.token.get_secret_value() for a in self.agency]),
            ("admin_chat_id", [a.admin_chat_id for a in self.agency]),
        ):
            if len(set(values)) != len(values):
                # Never name the token itself: it is a secret.
                raise ValueError(f"every agency needs its own {what}")
        if sum(a.evaluator for a in self.agency) > 1:
            raise ValueError("at most one agency can be the evaluator (evaluator = true)")
        return self

    @property
    def evaluator(self) -> AgencyEntry | None:
        return next((a for a in self.agency if a.evaluator), None)


def load_agencies(path: Path) -> AgenciesFile:
    """Parse and validate the file; raises ``ValueError`` (pydantic's or TOML's)."""
    with path.open("rb") as handle:
        return AgenciesFile.model_validate(tomllib.load(handle))


def agency_settings(base: Settings, agencies: AgenciesFile | None) -> dict[str, Settings]:
    """Settings per agency code: each entry over ``base``; without a file, ``base`` alone."""
    if agencies is None:
        return {base.agency_code: base}
    return {
        entry.code: base.model_copy(
            update={
                "agency_code": entry.code,
                "agency_name": entry.name,
                "bot_token": entry.token,
                "admin_chat_id": entry.admin_chat_id,
                "official_ids": list(entry.official_ids),
                "admin_ids": list(entry.admin_ids),
                "kb_paths": list(entry.kb_paths),
                "channel_id": entry.channel_id,
            }
        )
        for entry in agencies.agency
    }
