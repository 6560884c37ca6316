"""Answers researchers ask of the whole collection rather than of one query: coverage (who
published, who is late, who is missing), indicator values compared across issuers, reports
side by side, and exports. Logic only: the API and the CLI share it."""
