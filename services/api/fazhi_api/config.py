"""Settings of the API: the shared base (host, port and keys live there)."""

from fazhi_shared.settings import Settings, get_settings

__all__ = ["Settings", "get_settings"]
