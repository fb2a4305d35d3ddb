"""Yearly report of the social-media information service (Pasal 15 Perbup Bone 22/2019).

Use from the bot::

    period = parse_period(text, today)              # PeriodError on bad input
    data = await compile_report(session, settings=..., period=period, agency_id=...,
                                topics=..., titles=..., now=...)
    charts = build_charts(data)
    docx = render_report(data, "docx", charts=charts)
    pdf = render_report(data, "pdf", charts=charts)
    summary_text = summary_message(data)            # short HTML text for Telegram
"""

from bot.domain.periods import Period, PeriodError, parse_period
from bot.reports.charts import Chart, build_charts
from bot.reports.compile import compile_report
from bot.reports.data import ReportData, Summary
from bot.reports.render import FORMATS, MEDIA_TYPES, ReportFormat, render_report
from bot.reports.summary import summary_message

__all__ = [
    "FORMATS",
    "MEDIA_TYPES",
    "Chart",
    "Period",
    "PeriodError",
    "ReportData",
    "ReportFormat",
    "Summary",
    "build_charts",
    "compile_report",
    "parse_period",
    "render_report",
    "summary_message",
]
