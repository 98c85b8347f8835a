"""Linux (Debian 12) personality of the device lab (registered as ``linux``).

Importing this package registers :class:`~lab.linux.personality.LinuxPersonality` with
:mod:`lab.personalities`.
"""

from lab.linux.personality import LinuxPersonality

__all__ = ["LinuxPersonality"]
