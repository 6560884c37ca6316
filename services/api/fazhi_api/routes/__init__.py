"""Every router of the API; a new area of the API adds its router here."""

from fazhi_api.routes import (
    alerts,
    compare,
    coverage,
    deadletters,
    deliveries,
    documents,
    export,
    health,
    indicators,
    ingest,
    search,
    sources,
)

ROUTERS = [
    health.router,
    search.router,
    documents.router,
    ingest.router,
    deadletters.router,
    alerts.router,
    deliveries.router,
    sources.router,
    export.router,
    coverage.router,
    indicators.router,
    compare.router,
]
