"""Serve an app in a background thread with werkzeug (the demo; ``netops web`` serves in the
foreground), and check from outside that its login answers."""

from __future__ import annotations

import http.cookiejar
import re
import threading
import urllib.parse
import urllib.request
from dataclasses import dataclass

from flask import Flask
from werkzeug.serving import BaseWSGIServer, make_server


@dataclass
class RunningServer:
    server: BaseWSGIServer
    thread: threading.Thread

    @property
    def url(self) -> str:
        return f"http://{self.server.host}:{self.server.server_port}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)


def start_in_thread(app: Flask, host: str = "127.0.0.1", port: int = 0) -> RunningServer:
    """Listen on ``host:port`` (0 = a free port) and serve in a daemon thread."""
    server = make_server(host, port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="netops-web", daemon=True)
    thread.start()
    return RunningServer(server, thread)


_CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def check_login(base_url: str, username: str, password: str, timeout_s: float = 30.0) -> str:
    """Log in through the real form over HTTP and follow the redirects with the session cookie;
    returns the path of the page the user lands on (answered 200).  Raises RuntimeError when the
    login is not accepted or the landing page does not answer."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect())
    with opener.open(f"{base_url}/login", timeout=timeout_s) as resp:
        page = resp.read().decode("utf-8")
    match = _CSRF.search(page)
    if match is None:
        raise RuntimeError(f"{base_url}/login: no login form")
    body = urllib.parse.urlencode(
        {"username": username, "password": password, "csrf_token": match.group(1)}
    ).encode()
    url: str = f"{base_url}/login"
    data: bytes | None = body
    for _ in range(5):
        try:
            with opener.open(url, data=data, timeout=timeout_s) as resp:
                if url.endswith("/login"):
                    raise RuntimeError(f"{base_url}/login: login as {username} was not accepted")
                return urllib.parse.urlsplit(url).path
        except urllib.error.HTTPError as exc:
            if exc.code not in (301, 302, 303):
                raise RuntimeError(f"{url}: {exc.code} after logging in as {username}") from None
            url, data = urllib.parse.urljoin(url, exc.headers.get("Location", "")), None
    raise RuntimeError(f"{base_url}: too many redirects after logging in as {username}")
