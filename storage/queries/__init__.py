"""Every query the bot runs outside the report, one module per aggregate.

``users``, ``inbox``, ``outbox``, ``messages``, ``tickets``, ``timers``, ``channel``,
``knowledge``, ``service_runs`` and ``leases``. Callers write ``queries.<function>``;
this package re-exports each module's functions so they need not know which module
holds which.
"""

from storage.queries.channel import add_post, find_post, post_for_thread
from storage.queries.inbox import (
    add_inbox_update,
    get_inbox_update,
    pending_inbox,
    store_raw_updates,
)
from storage.queries.knowledge import (
    active_kb_rows,
    add_kb_change,
    add_kb_row,
    add_kb_variant,
    find_kb_row,
    kb_variants,
    remove_kb_variants,
    variant_for_ticket,
)
from storage.queries.messages import (
    add_message_version,
    find_message,
    record_message,
    ticket_messages,
)
from storage.queries.outbox import (
    due_outbox,
    enqueue,
    first_undelivered_ids,
    latest_outbox,
    latest_ticket_outbox,
    message_render,
    next_pending_due,
    outbox_counts,
    recent_outbox_count,
    release_outbox_claims,
    requeue_stuck_outbox,
    save_message_render,
)
from storage.queries.service_runs import (
    add_service_run,
    service_runs_overlapping,
    touch_service_run,
)
from storage.queries.tickets import (
    add_report_note,
    add_ticket,
    add_ticket_event,
    answered_response_times,
    close_ticket_if_open,
    count_open_tickets,
    gap_conditions,
    get_ticket,
    oldest_open_ticket_id,
    open_ticket_ages,
    open_ticket_for,
    open_tickets,
    ticket_counts_by_kind_and_state,
    unanswered_questions,
)
from storage.queries.timers import add_timers, cancel_timers, move_timers
from storage.queries.users import ensure_agency, first_names, get_user, set_role, upsert_user

__all__ = [
    "active_kb_rows",
    "add_inbox_update",
    "add_kb_change",
    "add_kb_row",
    "add_kb_variant",
    "add_message_version",
    "add_post",
    "add_report_note",
    "add_service_run",
    "add_ticket",
    "add_ticket_event",
    "add_timers",
    "answered_response_times",
    "cancel_timers",
    "close_ticket_if_open",
    "count_open_tickets",
    "due_outbox",
    "enqueue",
    "ensure_agency",
    "find_kb_row",
    "find_message",
    "find_post",
    "first_names",
    "first_undelivered_ids",
    "gap_conditions",
    "get_inbox_update",
    "get_ticket",
    "get_user",
    "kb_variants",
    "latest_outbox",
    "latest_ticket_outbox",
    "message_render",
    "move_timers",
    "next_pending_due",
    "oldest_open_ticket_id",
    "open_ticket_ages",
    "open_ticket_for",
    "open_tickets",
    "outbox_counts",
    "pending_inbox",
    "post_for_thread",
    "recent_outbox_count",
    "record_message",
    "release_outbox_claims",
    "remove_kb_variants",
    "requeue_stuck_outbox",
    "save_message_render",
    "service_runs_overlapping",
    "set_role",
    "store_raw_updates",
    "ticket_counts_by_kind_and_state",
    "ticket_messages",
    "touch_service_run",
    "unanswered_questions",
    "upsert_user",
    "variant_for_ticket",
]
