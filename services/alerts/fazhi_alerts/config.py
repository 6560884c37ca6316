"""Settings of the alerts service: the shared base."""

from fazhi_shared.settings import Settings, get_settings

__all__ = ["Settings", "get_settings"]
