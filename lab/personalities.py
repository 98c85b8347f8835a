"""Registry of CLI personalities by platform name (the netmiko device type).

``register`` is used as a class decorator by each personality module; ``personality_for`` imports
the built-in personality modules on first use, so importing ``lab`` costs nothing.  A duplicate name
raises; an unknown name lists the valid ones.
"""

from __future__ import annotations

import importlib

from lab.personality import Personality
from netops.errors import LabError

# Modules that register the built-in personalities when imported; a missing one (not built yet)
# is skipped so the others keep working.
BUILTIN_MODULES: tuple[str, ...] = ("lab.ios", "lab.routeros", "lab.linux")


class Registry:
    """Platform name -> personality class."""

    def __init__(self) -> None:
        self._classes: dict[str, type[Personality]] = {}
        self._loaded_builtins = False

    def register(self, cls: type[Personality]) -> type[Personality]:
        name = getattr(cls, "platform", None)
        if not isinstance(name, str) or not name:
            raise LabError(f"{cls.__name__} has no 'platform' name")
        existing = self._classes.get(name)
        if existing is not None and existing is not cls:
            raise LabError(
                f"personality {name!r} is already registered by {existing.__module__}."
                f"{existing.__qualname__}"
            )
        self._classes[name] = cls
        return cls

    def load_builtins(self) -> None:
        if self._loaded_builtins:
            return
        self._loaded_builtins = True
        for module in BUILTIN_MODULES:
            try:
                importlib.import_module(module)
            except ModuleNotFoundError as exc:
                if exc.name is None or not module.startswith(exc.name):
                    raise

    def get(self, platform: str) -> type[Personality]:
        self.load_builtins()
        try:
            return self._classes[platform]
        except KeyError:
            valid = ", ".join(sorted(self._classes)) or "(none)"
            raise LabError(
                f"no lab personality for platform {platform!r}; valid: {valid}"
            ) from None

    def names(self) -> list[str]:
        self.load_builtins()
        return sorted(self._classes)


REGISTRY = Registry()


def register(cls: type[Personality]) -> type[Personality]:
    """Class decorator: make ``cls`` the personality for ``cls.platform``."""
    return REGISTRY.register(cls)


def personality_for(platform: str) -> type[Personality]:
    """The personality class for ``platform``; :class:`LabError` listing the valid names if none."""
    return REGISTRY.get(platform)
