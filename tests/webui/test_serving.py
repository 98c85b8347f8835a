"""The production command of docs/webui.md: gunicorn serves ``webui:create_app()`` with the
settings from the environment."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.helpers import MINI, ROOT

pytestmark = pytest.mark.slow


def test_gunicorn_serves_the_app_factory_from_the_environment(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NETOPS_")}
    env.update(
        NETOPS_SECRET_KEY="g" * 32,
        NETOPS_DATA_DIR=str(tmp_path),
        NETOPS_INVENTORY=str(MINI),
        PYTHONPATH=str(ROOT),
    )
    log = tmp_path / "gunicorn.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--workers",
                "2",
                "--bind",
                "127.0.0.1:0",
                "webui:create_app()",
            ],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=tmp_path,
        )
    try:
        deadline = time.monotonic() + 60
        port = None
        while port is None and time.monotonic() < deadline and proc.poll() is None:
            m = re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", log.read_text())
            port = m.group(1) if m else None
            time.sleep(0.2)
        assert port, log.read_text()[-2000:]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=30) as resp:
            html = resp.read().decode()
            assert resp.status == 200 and "Masuk" in html
            assert resp.headers["X-Frame-Options"] == "DENY"
    finally:
        proc.terminate()
        proc.wait(timeout=30)
