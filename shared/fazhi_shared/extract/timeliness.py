"""Timeliness of an annual report: published by 1 April of the following year."""

from __future__ import annotations

from datetime import date

from fazhi_shared.models import Timeliness


def deadline(report_year: int) -> date:
    return date(report_year + 1, 4, 1)


def timeliness(doc_type: str, report_year: int | None, published: str | None) -> Timeliness | None:
    if doc_type != "annual_report" or report_year is None or not published:
        return None
    due = deadline(report_year)
    days = (date.fromisoformat(published) - due).days
    return Timeliness(deadline=due.isoformat(), on_time=days <= 0, days_late=days)
