"""Rules of the help desk that need no database, no Telegram and no settings object.

* ``enums``: the vocabulary (ticket kinds and states, roles, outbox purposes, ...).
* ``working_time``: office hours, holidays and cuti bersama; working seconds between moments.
* ``service_levels``: the first-response and resolution targets and every deadline
  derived from them (timers, acknowledgements, /kinerja and the report all use it).
* ``statistics``: the one median and percentile.
* ``periods``: the periods of /kinerja and of the report, as local days and UTC ranges.
* ``labels``: Indonesian day and month names, dates, durations, numbers and shares.

Nothing here imports from ``storage``, ``bot.services`` or above.
"""
