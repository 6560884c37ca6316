"""Every router of the API; a new area of the API adds its router here."""

from fazhi_api.routes import deadletters, documents, health, ingest, search, sources

ROUTERS = [
    health.router,
    search.router,
    documents.router,
    ingest.router,
    deadletters.router,
    sources.router,
]
