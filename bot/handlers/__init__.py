"""Routers in the order the dispatcher tries them."""

from __future__ import annotations

from aiogram import Router

from bot.handlers import (
    admin,
    audit,
    channel,
    citizen,
    data_rights,
    edits,
    fallback,
    faq,
    officers,
    official,
    outreach,
    performance,
    rating,
)


def build_routers() -> list[Router]:
    routers = [
        outreach.router,  # /langganan, /siaran, /posting and its drafts: before card replies
        admin.router,  # card buttons, replies to cards, /antrian: before citizen catch-alls
        official.router,  # /laporan and report notes
        officers.router,  # /petugas: officers by decree
        audit.router,  # /audit for officials
        faq.router,  # /faq for admins
        performance.router,  # /kinerja
        data_rights.router,  # /datasaya, /hapusdata, /rahasia, /anonim: before citizen
        rating.router,  # citizens' 👍/👎 under answers
        channel.router,  # channel posts and comments in the discussion group
        edits.router,
        citizen.router,  # every other private message becomes a ticket
        fallback.router,  # the catch-all stays last
    ]
    for router in routers:
        # Routers are module-level singletons, but a test process builds many dispatchers:
        # release each router from the previous one before it is included again.
        parent = router.parent_router
        if parent is not None:
            parent.sub_routers.remove(router)
            router._parent_router = None
    return routers
