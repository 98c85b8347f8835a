"""Cisco IOS personality (registered as ``cisco_ios`` when imported)."""

from lab.ios.personality import IosPersonality

__all__ = ["IosPersonality"]
