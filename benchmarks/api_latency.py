"""Latency of the REST API's main endpoints and the web app's pages on a large store: p50
and p95 per request.

Starts ``diplograph --db DB serve`` (uvicorn) in a subprocess on a free local port and sends
each request ``--runs`` times over one keep-alive httpx connection, after one warm-up
request, so the figures are what a client waits for end to end (HTTP, JSON or HTML, query).
Only GET requests are sent: the store is never written. The pages that show whole-store
aggregates (dashboard, network, map) compute them once in the background; the warm-up waits
until a page no longer says it is still counting, so their figures are the served page.

Usage (from the repository root), after `benchmarks/generate_store.py` filled the store:

    .venv/bin/python benchmarks/api_latency.py --db /tmp/bench-1m.db
    .venv/bin/python benchmarks/api_latency.py --db /tmp/bench-1m.db --runs 50

Prints a markdown table (request, p50 ms, p95 ms, status, KiB).
"""

from __future__ import annotations

import argparse
import math
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(share * len(ordered)) - 1)]


def _start(db: str, port: int) -> subprocess.Popen:
    command = [str(ROOT / ".venv/bin/diplograph"), "--db", db, "serve", "--port", str(port)]
    server = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"server exited: {server.stderr.read() if server.stderr else ''}")
        try:
            httpx.get(f"http://127.0.0.1:{port}/openapi.json", timeout=1)
            return server
        except httpx.HTTPError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("server did not start within 120 s")


def requests(client: httpx.Client) -> list[str]:
    """The measured requests; ids are taken from the store through the API itself."""
    event = client.get("/api/events", params={"actor": "KAZ", "limit": 1}).json()["items"][0]
    article = client.get("/api/articles", params={"limit": 1}).json()["items"][0]
    return [
        "/api/stats",
        "/api/events?limit=50",
        "/api/events?actor=USA&limit=50",
        "/api/events?actor=KAZ&partner=CHN&type=consult&since=2020",
        "/api/events?actor=KAZ&offset=1000&limit=50",
        "/api/events?order=confidence&type=threaten&limit=50",
        "/api/events?text=official&limit=50",
        "/api/events.csv?actor=KAZ&partner=CHN&limit=1000",
        f"/api/events/{event['id']}",
        "/api/actors?q=kaz",
        "/api/actors/KAZ",
        "/api/relations/KAZ",
        "/api/timeline?a=KAZ&b=CHN&by=month",
        "/api/brief?a=KAZ&b=CHN",
        "/api/brief?a=KAZ&b=CHN&format=html",
        "/api/calendar?since=2023",
        "/api/search?q=official%20talks",
        "/api/facts?limit=50",
        "/api/articles?limit=50",
        f"/api/articles/{article['id']}",
        "/api/graph?min_events=2000",
    ]


def pages(client: httpx.Client) -> list[str]:
    """The web app's pages (server-rendered HTML)."""
    event = client.get("/api/events", params={"actor": "KAZ", "limit": 1}).json()["items"][0]
    return [
        "/",
        "/events",
        "/events?actor=KAZ&partner=CHN&type=CONSULT&since=2020",
        f"/events/{event['id']}",
        "/actors/KAZ",
        "/dyad/KAZ/CHN",
        "/network",
        "/map",
        "/calendar",
        "/search?q=official",
        "/ingest",
    ]


def _warm(client: httpx.Client, path: str, patience: float = 600) -> None:
    """One request, repeated while the page says it is still counting (background work)."""
    deadline = time.monotonic() + patience
    while "Still counting" in client.get(path).text and time.monotonic() < deadline:
        time.sleep(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="the store (path or postgresql:// URL)")
    parser.add_argument("--runs", type=int, default=20, help="requests per endpoint")
    args = parser.parse_args()
    port = _free_port()
    server = _start(args.db, port)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=300) as client:
            print(f"store: {args.db}; {args.runs} requests per endpoint after one warm-up\n")
            print("| request | p50 ms | p95 ms | status | KiB |")
            print("|---|---:|---:|---:|---:|")
            every: list[float] = []
            for path in requests(client) + pages(client):
                _warm(client, path)
                times, response = [], None
                for _ in range(args.runs):
                    began = time.perf_counter()
                    response = client.get(path)
                    times.append((time.perf_counter() - began) * 1000)
                every += times
                assert response is not None
                print(
                    f"| `GET {path}` | {_percentile(times, 0.5):.0f} | "
                    f"{_percentile(times, 0.95):.0f} | {response.status_code} | "
                    f"{len(response.content) / 1024:.0f} |",
                    flush=True,
                )
            print(
                f"| all requests | {_percentile(every, 0.5):.0f} | "
                f"{_percentile(every, 0.95):.0f} | | |"
            )
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    sys.exit(main())
