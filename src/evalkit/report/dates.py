"""Dates and times as a reader writes them: "1 Desember 2026", "09.30 WIB".

Indonesia has three time zones with fixed offsets (no daylight saving): WIB (UTC+7), WITA
(UTC+8) and WIT (UTC+9). A region's zone is a fact of that region, so it comes from its params
(``report.timezone``); without it a time is shown with its UTC offset, never with a zone name
that may be wrong.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

ZONES: dict[str, int] = {"WIB": 7, "WITA": 8, "WIT": 9}

_MONTHS = {
    "id": ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
           "September", "Oktober", "November", "Desember"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
}


def long_date(day: date, lang: str = "id") -> str:
    """``1 Desember 2026`` (Indonesian) or ``1 December 2026`` (English)."""
    return f"{day.day} {_MONTHS[lang][day.month - 1]} {day.year}"


def in_zone(moment: datetime, zone: str = "") -> datetime:
    """``moment`` in the region's zone (WIB, WITA, WIT), or as given when no zone is set."""
    if zone:
        return moment.astimezone(timezone(timedelta(hours=ZONES[zone]), zone))
    return moment if moment.tzinfo else moment.astimezone()


def clock_time(moment: datetime, zone: str = "", lang: str = "id") -> str:
    """``09.30 WIB`` (Indonesian writes hours and minutes with a dot), ``09:30 WIB`` (English);
    ``09.30 UTC+07:00`` when the region's zone is not given."""
    local = in_zone(moment, zone)
    sep = "." if lang == "id" else ":"
    label = zone
    if not label:
        offset = local.utcoffset() or timedelta(0)
        minutes = int(offset.total_seconds() // 60)
        sign = "+" if minutes >= 0 else "-"
        label = f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    return f"{local.hour:02d}{sep}{local.minute:02d} {label}"


def long_date_time(moment: datetime, zone: str = "", lang: str = "id") -> str:
    """``1 Desember 2026, 09.30 WIB``: the date and time in the region's zone."""
    local = in_zone(moment, zone)
    return f"{long_date(local.date(), lang)}, {clock_time(local, zone, lang)}"
