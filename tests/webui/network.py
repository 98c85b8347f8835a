"""A network's worth of telemetry for the web UI tests, written through the poller's own batch
code (:class:`tests.queries.feed.Feed`): 16 minutes of polls ending now (the uplink busy, core1
-> dist1 hot, rsud's queue at its maximum, rsud-gw unreachable in the last poll), neighbours,
and two configuration versions of core1 whose secrets the store masks."""

from __future__ import annotations

import time
from typing import Any

from flask import Flask

from collectors.base import Neighbor
from netops.auth.store import issue_token
from tests.queries.feed import Feed, QueueFeed
from tests.webui.data import USERS

SECRET_1 = "Sup3rSecret-one"
SECRET_2 = "Sup3rSecret-two"
CONFIG_1 = f"/system identity set name=core1\n/user add name=ops password={SECRET_1}\n"
CONFIG_2 = (
    f"/system identity set name=core1\n/user add name=ops password={SECRET_2}\n"
    "/ip dns set servers=10.0.0.53\n"
)
RATES = {
    ("core1", "ether1"): (150e6, 40e6),
    ("core1", "ether2"): (5e6, 900e6),
    ("ptp-utara", "ether1"): (3e6, 30e6),
}
NEIGHBORS = {
    "core1": [Neighbor("ether2", "dist1", "GigabitEthernet1/0/1", "10.255.0.2", "lldp")],
    "dist1": [Neighbor("GigabitEthernet1/0/1", "core1", "ether2", "10.255.0.1", "lldp")],
}
HOT_LINK = "core1:ether2--dist1:GigabitEthernet1/0/1"


def feed_network(app: Flask, now_s: float | None = None) -> float:
    """Fill the app's database; returns the time of the last poll (epoch seconds)."""
    ctx = app.extensions["netops"]
    now = now_s or time.time()
    feed = Feed(ctx.inventory(), ctx.engine)
    try:
        kw: dict[str, Any] = {
            "rates": RATES,
            "queues": {"core1": [QueueFeed("nx-a-rsud", "10.10.2.0/24", 10e6, 175e6)]},
            "neighbors": NEIGHBORS,
        }
        feed.cycle(now - 960, configs={"core1": CONFIG_1}, **kw)
        feed.steady(now - 900, now - 60, 60.0, configs={"core1": CONFIG_2}, **kw)
        feed.cycle(now, down={"rsud-gw"}, **kw)
    finally:
        feed.close()
    return now


def api_token(app: Flask, role: str) -> str:
    with app.extensions["netops"].sessions() as s:
        issued = issue_token(s, USERS[role]["username"], "test")
        s.commit()
    return issued.token
