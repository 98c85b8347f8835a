"""The control channel of a running lab: JSON lines over a UNIX socket in the data directory.

``netops lab up`` listens on ``<data_dir>/lab.sock`` (mode 0600: only its owner can inject faults);
``netops lab status|fault|clear|down`` connect to it.  One request per connection, one JSON object
per line each way::

    -> {"op": "status"}
    <- {"ok": true, "devices": 4, "endpoints": {"core1": ["127.0.0.1", 40001]}, "faults": {}}
    -> {"op": "fault", "device": "dist1", "kind": "link-down", "params": {"interface": "Gi1/0/1"}}
    <- {"ok": true}
    -> {"op": "clear", "device": null}
    -> {"op": "stop"}
    <- {"ok": false, "error": "no device 'x' ..."}        (any failure)
"""

from __future__ import annotations

import json
import os
import socket
import socketserver
import threading
from pathlib import Path
from typing import Any

from lab.api import Lab
from netops.errors import LabError, NetopsError

MAX_REQUEST_BYTES = 64 * 1024


class _Handler(socketserver.StreamRequestHandler):
    server: _Server

    def handle(self) -> None:
        raw = self.rfile.readline(MAX_REQUEST_BYTES)
        try:
            request = json.loads(raw or b"{}")
            if not isinstance(request, dict):
                raise LabError("a request is a JSON object")
            reply = self.server.control.dispatch(request)
        except (ValueError, NetopsError) as exc:
            reply = {"ok": False, "error": str(exc)}
        self.wfile.write(json.dumps(reply).encode() + b"\n")


class _Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True
    control: ControlServer


class ControlServer:
    """Serves control requests for ``lab`` on ``path`` in a background thread."""

    def __init__(self, lab: Lab, path: Path) -> None:
        self.lab = lab
        self.path = path
        self.stop_requested = threading.Event()
        if path.exists():
            path.unlink()
        path.parent.mkdir(parents=True, exist_ok=True)
        old_umask = os.umask(0o077)
        try:
            self._server = _Server(str(path), _Handler)
        finally:
            os.umask(old_umask)
        self._server.control = self
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> ControlServer:
        self._thread.start()
        return self

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self.path.exists():
            self.path.unlink()

    def dispatch(self, request: dict[str, Any]) -> dict[str, Any]:
        op = request.get("op")
        if op == "status":
            return {
                "ok": True,
                "devices": len(self.lab.runtimes),
                "endpoints": {n: [e.host, e.port] for n, e in self.lab.endpoints.items()},
                "faults": self.lab.active_faults(),
            }
        if op == "fault":
            params = request.get("params") or {}
            if not isinstance(params, dict):
                raise LabError("params must be an object")
            self.lab.fault(str(request.get("device")), str(request.get("kind")), **params)
            return {"ok": True}
        if op == "clear":
            device = request.get("device")
            self.lab.clear_faults(None if device is None else str(device))
            return {"ok": True}
        if op == "stop":
            self.stop_requested.set()
            return {"ok": True}
        raise LabError(f"unknown op {op!r}; valid: status, fault, clear, stop")


def send_request(path: Path, request: dict[str, Any], timeout_s: float = 30.0) -> dict[str, Any]:
    """Send one request to the lab listening on ``path``; :class:`LabError` if none answers or
    the lab reports an error."""
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(timeout_s)
            sock.connect(str(path))
            sock.sendall(json.dumps(request).encode() + b"\n")
            data = b""
            while not data.endswith(b"\n"):
                chunk = sock.recv(65536)
                if not chunk:
                    break
                data += chunk
    except OSError as exc:
        raise LabError(
            f"no lab is answering on {path} ({exc.strerror or exc}); run netops lab up"
        ) from None
    try:
        reply = json.loads(data)
    except ValueError:
        raise LabError(f"the lab on {path} sent an unreadable reply") from None
    if not reply.get("ok"):
        raise LabError(str(reply.get("error", "the lab refused the request")))
    return dict(reply)
