"""Devices: inventory with facts and poll status, one device's interfaces, polls and
configuration history with side-by-side diffs (engineers and admins)."""

from webui.devices.views import bp

__all__ = ["bp"]
