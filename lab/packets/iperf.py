"""Real flows with iperf3: servers in ``inet``, one client per agency namespace.

What HTB shapes is the frame on the wire (IP header, TCP/UDP header and the 14-byte Ethernet
header included); what iperf3 reports is payload.  :func:`wire_mbps` converts iperf3's figure to
the frame rate HTB counts, from the segment size iperf3 itself reports, so that a measured rate
and netops's computed share are compared in the same unit.
"""

from __future__ import annotations

import json
import statistics
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from lab.packets.layout import SERVER, AgencyHost, Layout
from lab.packets.netns import PacketLabError, in_ns

Direction = Literal["down", "up"]
Protocol = Literal["tcp", "udp"]
ETH_HEADER_BYTES = 14
IP_HEADER_BYTES = 20
TCP_HEADER_BYTES = 32  # 20 + 12 of timestamps, which Linux uses by default
UDP_HEADER_BYTES = 8
UP_PORT_OFFSET = 100


@dataclass(frozen=True)
class Flow:
    """One agency's test: ``down`` = the server sends (iperf3 ``-R``)."""

    code: str
    direction: Direction
    protocol: Protocol = "tcp"
    streams: int = 4
    udp_mbps: float = 0.0


@dataclass(frozen=True)
class FlowResult:
    flow: Flow
    payload_mbps: float
    wire_mbps: float
    segment_bytes: int


def wire_mbps(payload_mbps: float, protocol: Protocol, segment_bytes: int) -> float:
    """Frame rate on the wire for a payload rate, given the TCP MSS or UDP datagram size."""
    header = TCP_HEADER_BYTES if protocol == "tcp" else UDP_HEADER_BYTES
    frame = segment_bytes + header + IP_HEADER_BYTES + ETH_HEADER_BYTES
    return payload_mbps * frame / segment_bytes


def _steady_mbps(intervals: list[dict[str, Any]]) -> float:
    """Median rate of the receiver's whole one-second intervals after the omitted warm-up,
    without the last one: what the flow got in steady state, free of the queue filling and
    draining at the start and the end of the test (and of one TCP sawtooth second)."""
    rates = [
        float(i["sum"]["bits_per_second"])
        for i in intervals
        if not i["sum"].get("omitted") and float(i["sum"]["seconds"]) > 0.9
    ]
    if len(rates) > 2:
        rates = rates[:-1]
    if not rates:
        raise ValueError("no steady interval")
    return statistics.median(rates) / 1e6


def parse_result(flow: Flow, text: str) -> FlowResult:
    """iperf3 ``-J --get-server-output`` -> the receiver's steady-state rate.

    The receiver is the client for ``down`` (``-R``) and the server for ``up``; its per-second
    intervals are used, not its end summary, whose duration is the sender's (the summary counts
    what drains from the shaper's queue after the sender stopped).  Raises
    :class:`PacketLabError` on an iperf3 error or an output without intervals.
    """
    where = f"iperf3 for {flow.code} {flow.direction}"
    try:
        doc: dict[str, Any] = json.loads(text)
    except ValueError:
        raise PacketLabError(f"{where}: no JSON output") from None
    if doc.get("error"):
        raise PacketLabError(f"{where}: {doc['error']}")
    receiver = doc if flow.direction == "down" else doc.get("server_output_json") or {}
    try:
        payload = _steady_mbps(receiver["intervals"])
    except (KeyError, TypeError, ValueError):
        raise PacketLabError(f"{where}: the receiver reported no intervals") from None
    if flow.protocol == "tcp":
        segment = int(doc["start"].get("tcp_mss_default") or 1448)
    else:
        segment = int(doc["start"]["test_start"]["blksize"])
    return FlowResult(flow, payload, wire_mbps(payload, flow.protocol, segment), segment)


def start_servers(lay: Layout) -> list[subprocess.Popen[bytes]]:
    """One iperf3 server per agency (an iperf3 server runs one test at a time)."""
    procs = []
    for a in lay.agencies:
        for direction in ("down", "up"):
            port = str(server_port(a, direction))
            argv = in_ns(lay.inet_ns, "iperf3", "-s", "-J", "-B", str(SERVER), "-p", port)
            procs.append(
                subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            )
    return procs


def server_port(host: AgencyHost, direction: Direction) -> int:
    """Each agency has a server per direction, so both can run at once."""
    return host.iperf_port + (0 if direction == "down" else UP_PORT_OFFSET)


def _client_argv(host: AgencyHost, ns: str, flow: Flow, seconds: int, omit_s: int) -> list[str]:
    argv = [
        "iperf3",
        "-c",
        str(SERVER),
        "-p",
        str(server_port(host, flow.direction)),
        "-J",
        "-t",
        str(seconds),
        "-O",
        str(omit_s),
        "--connect-timeout",
        "3000",
        "--get-server-output",
    ]
    if flow.direction == "down":
        argv.append("-R")
    if flow.protocol == "udp":
        argv += ["-u", "-b", f"{flow.udp_mbps:.3f}M", "-l", "1400"]
    else:
        argv += ["-P", str(flow.streams)]
    return in_ns(ns, *argv)


def run_flows(
    lay: Layout, flows: Sequence[Flow], *, seconds: int = 5, omit_s: int = 1
) -> dict[tuple[str, Direction], FlowResult]:
    """Run ``flows`` at the same time (bounded: ``seconds`` + a margin) and parse each result."""
    seen: set[tuple[str, Direction]] = set()
    procs: list[tuple[Flow, subprocess.Popen[str]]] = []
    for flow in flows:
        host = lay.agency(flow.code)
        if (flow.code, flow.direction) in seen:
            raise PacketLabError(f"{flow.code} {flow.direction}: one flow per agency and direction")
        seen.add((flow.code, flow.direction))
        argv = _client_argv(host, host.ns, flow, seconds, omit_s)
        procs.append(
            (
                flow,
                subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True),
            )
        )
    out: dict[tuple[str, Direction], FlowResult] = {}
    errors = []
    for flow, proc in procs:
        try:
            stdout, _ = proc.communicate(timeout=seconds + omit_s + 15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            errors.append(f"{flow.code} {flow.direction}: iperf3 did not finish")
            continue
        try:
            out[(flow.code, flow.direction)] = parse_result(flow, stdout)
        except PacketLabError as exc:
            errors.append(str(exc))
    if errors:
        raise PacketLabError("; ".join(errors))
    return out


def results_mbps(
    results: Mapping[tuple[str, Direction], FlowResult],
) -> dict[tuple[str, Direction], float]:
    return {k: r.wire_mbps for k, r in results.items()}
