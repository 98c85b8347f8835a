"""MikroTik RouterOS 7 personality of the device lab (registered as ``mikrotik_routeros``).

Importing this package registers :class:`~lab.routeros.personality.RouterOsPersonality` with
:mod:`lab.personalities`.
"""

from lab.routeros.personality import RouterOsPersonality

__all__ = ["RouterOsPersonality"]
