"""Settings of the process worker (the shared base; nothing of its own yet)."""

from fazhi_shared.settings import Settings, get_settings

__all__ = ["Settings", "get_settings"]
