"""Every Indonesian string a user reads, in one place so it can be reviewed as a whole.

Templates are HTML (Telegram parse_mode=HTML). Every value that comes from a user or from
the record must go through ``esc()`` before it is placed in a template; the helpers below
that take user text already do so.
"""

from __future__ import annotations

import html

SERVICE_NAME = "Layanan Informasi Media Sosial Pemerintah Kabupaten Bone"


def esc(value: object) -> str:
    """Escape a value for Telegram HTML."""
    return html.escape(str(value), quote=False)


# ----------------------------------------------------------------------------- start-up
MISSING_TOKEN = (
    "BOT_TOKEN belum diatur / BOT_TOKEN is not set.\n"
    "\n"
    "ID: Buat bot di Telegram lewat @BotFather (perintah /newbot), salin token yang\n"
    "    diberikan, lalu jalankan:  BOT_TOKEN=123456:ABC... make run\n"
    "    Atur juga ADMIN_CHAT_ID (grup admin), ADMIN_IDS dan OFFICIAL_IDS\n"
    "    (lihat .env.example). Untuk melihat bot bekerja tanpa token: make demo\n"
    "EN: Create a bot with @BotFather on Telegram (/newbot), copy the token it gives you,\n"
    "    then run:  BOT_TOKEN=123456:ABC... make run\n"
    "    Also set ADMIN_CHAT_ID (the admin group), ADMIN_IDS and OFFICIAL_IDS\n"
    "    (see .env.example). To see the bot working without a token: make demo\n"
)

# ----------------------------------------------------------------------------- citizens
# (section: citizens)

# ----------------------------------------------------------------------------- admins
# (section: admins)

# ----------------------------------------------------------------------------- knowledge base
# (section: knowledge base)

# ----------------------------------------------------------------------------- service levels
# (section: service levels)

# ----------------------------------------------------------------------------- reports
# (section: reports)
