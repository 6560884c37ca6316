"""Settings of the crawler: the shared base (crawler-specific ones join it here)."""

from fazhi_shared.settings import Settings, get_settings

__all__ = ["Settings", "get_settings"]
