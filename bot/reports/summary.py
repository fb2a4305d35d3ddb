"""The short summary the bot sends with the report files."""

from __future__ import annotations

from bot import texts
from bot.domain.labels import fmt_int, fmt_minutes, fmt_share
from bot.reports.data import ReportData


def summary_message(data: ReportData) -> str:
    """Telegram HTML: tickets in, answered, median and p90 first response, within target."""
    s = data.summary
    return texts.REPORT_SUMMARY_MESSAGE.format(
        period=texts.esc(data.period.label),
        tickets=fmt_int(s.tickets_in),
        answered=fmt_int(s.answered),
        open=fmt_int(s.open),
        median=fmt_minutes(s.median_first_response_minutes),
        p90=fmt_minutes(s.p90_first_response_minutes),
        within=fmt_share(s.within_target_share),
        target=fmt_int(s.target_minutes),
    )
