"""Settings of the indexer: the shared base (batch size and commit interval live there)."""

from fazhi_shared.settings import Settings, get_settings

__all__ = ["Settings", "get_settings"]
