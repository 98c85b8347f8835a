"""Static assets served by the app from installed Python packages (no CDN, nothing third-party
copied into the repository), and netops' own CSS/JS from ``webui/static``.

URLs are ``/assets/<package>/<file>``; templates call ``asset_url(name)`` with a short name from
:data:`ALIASES` (``"bootstrap.css"``) or ``"<package>/<file>"`` (``"netops/js/chart.js"``).
Only the files below each package's root that :data:`ALLOWED` permits are served.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable
from functools import cache
from pathlib import Path

from flask import Blueprint, abort, send_from_directory, url_for
from flask.typing import ResponseReturnValue

from webui.access import public

bp = Blueprint("assets", __name__, url_prefix="/assets")

MAX_AGE_S = 86400


def _module_dir(module: str, *sub: str) -> Callable[[], Path]:
    def root() -> Path:
        spec = importlib.util.find_spec(module)
        if spec is None or spec.origin is None:
            raise RuntimeError(f"asset package {module} is not installed")
        return Path(spec.origin).parent.joinpath(*sub)

    return root


def _xstatic(module: str) -> Callable[[], Path]:
    def root() -> Path:
        return Path(importlib.import_module(module).BASE_DIR)

    return root


# package name in the URL -> (directory, file suffixes served)
PACKAGES: dict[str, tuple[Callable[[], Path], tuple[str, ...]]] = {
    "bootstrap": (_module_dir("flask_bootstrap", "static", "bootstrap5"), (".css", ".js")),
    "leaflet": (_xstatic("xstatic.pkg.leaflet"), (".css", ".js", ".png")),
    "markercluster": (_xstatic("xstatic.pkg.leaflet_markercluster"), (".css", ".js")),
    "plotly": (_module_dir("plotly", "package_data"), ("plotly.min.js",)),
    "netops": (_module_dir("webui", "static"), (".css", ".js", ".png", ".svg")),
}

ALIASES: dict[str, str] = {
    "bootstrap.css": "bootstrap/css/bootstrap.min.css",
    "bootstrap.js": "bootstrap/js/bootstrap.min.js",
    "popper.js": "bootstrap/umd/popper.min.js",
    "leaflet.css": "leaflet/leaflet.css",
    "leaflet.js": "leaflet/leaflet.js",
    "markercluster.css": "markercluster/MarkerCluster.css",
    "markercluster-default.css": "markercluster/MarkerCluster.Default.css",
    "markercluster.js": "markercluster/leaflet.markercluster.js",
    "plotly.js": "plotly/plotly.min.js",
    "netops.css": "netops/css/netops.css",
    "netops.js": "netops/js/netops.js",
}


@cache
def _root(package: str) -> Path:
    return PACKAGES[package][0]().resolve()


def asset_path(name: str) -> Path:
    """The file behind an asset name; FileNotFoundError / KeyError when there is none."""
    package, _, filename = ALIASES.get(name, name).partition("/")
    root = _root(package)
    path = (root / filename).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        raise FileNotFoundError(name)
    return path


def asset_url(name: str) -> str:
    """URL of an asset (alias or ``package/file``); raises KeyError for an unknown one, so a
    template naming a missing asset fails in tests rather than in the browser."""
    target = ALIASES.get(name, name)
    package, _, filename = target.partition("/")
    if package not in PACKAGES:
        raise KeyError(f"unknown asset package in {name!r}: one of {', '.join(PACKAGES)}")
    asset_path(target)
    return url_for("assets.file", package=package, filename=filename)


@bp.get("/<package>/<path:filename>")
@public
def file(package: str, filename: str) -> ResponseReturnValue:
    entry = PACKAGES.get(package)
    if entry is None or not filename.endswith(entry[1]):
        abort(404)
    try:
        asset_path(f"{package}/{filename}")
    except (FileNotFoundError, RuntimeError):
        abort(404)
    return send_from_directory(_root(package), filename, max_age=MAX_AGE_S)
