"""Fetching a URL for a remote user without letting them reach this machine's network.

Each hop (the URL and every redirect) is checked: http or https only; the host name is
resolved once, every address it resolves to must be public (not loopback, private,
link-local, shared, reserved, multicast or unspecified) unless private addresses are allowed,
and the connection goes to that checked address (the request is pinned to it: the Host
header and TLS server name stay the original host's). So a DNS answer that changes between
the check and the connection (rebinding) cannot redirect the fetch.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx

from diplograph.ingest.errors import Rejected
from diplograph.ingest.fetch import MAX_REDIRECTS, USER_AGENT, Fetched

DEFAULT_PORTS = {"http": 80, "https": 443}


class RefusedURL(ValueError):
    """A URL the server will not fetch for a remote user (scheme or address)."""


def _public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    mapped = getattr(address, "ipv4_mapped", None)
    if mapped is not None:
        address = mapped
    return address.is_global and not address.is_multicast


def resolve(url: str, *, allow_private: bool) -> tuple[str, int, str]:
    """(host, port, address to connect to) for ``url``; RefusedURL when it may not be fetched."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise RefusedURL(f"unsupported URL scheme {scheme!r} (only http and https)")
    host = parts.hostname
    if not host:
        raise RefusedURL(f"no host in URL {url!r}")
    try:
        port = parts.port or DEFAULT_PORTS[scheme]
    except ValueError as exc:
        raise RefusedURL(f"bad port in URL {url!r}") from exc
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise RefusedURL(f"cannot resolve host {host!r}") from exc
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if not addresses:
        raise RefusedURL(f"cannot resolve host {host!r}")
    if not allow_private:
        for text in addresses:
            if not _public(ipaddress.ip_address(text.split("%")[0])):
                raise RefusedURL(
                    f"{host} resolves to a non-public address ({text}); URL ingest refuses "
                    "loopback, private and link-local addresses (serve --allow-private-urls)"
                )
    return host, port, addresses[0]


def _pinned(url: str, address: str, port: int) -> str:
    """``url`` with its host replaced by the checked address."""
    parts = urlsplit(url)
    netloc = f"[{address}]" if ":" in address else address
    return urlunsplit((parts.scheme, f"{netloc}:{port}", parts.path or "/", parts.query, ""))


def fetch(url: str, *, max_bytes: int, allow_private: bool, timeout: float = 20.0) -> Fetched:
    """GET ``url`` hop by hop (each redirect checked and pinned); Rejected for HTTP and network
    failures and bodies over ``max_bytes``, RefusedURL for forbidden schemes and addresses."""
    with httpx.Client(follow_redirects=False, timeout=timeout, trust_env=False) as client:
        for _ in range(MAX_REDIRECTS + 1):
            host, port, address = resolve(url, allow_private=allow_private)
            default = port == DEFAULT_PORTS[urlsplit(url).scheme.lower()]
            headers = {"Host": host if default else f"{host}:{port}", "User-Agent": USER_AGENT}
            request = client.build_request(
                "GET", _pinned(url, address, port), headers=headers,
                extensions={"sni_hostname": host},
            )  # fmt: skip
            try:
                response = client.send(request, stream=True)
            except httpx.HTTPError as exc:
                reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                raise Rejected(f"download failed: {reason}") from None
            try:
                if response.is_redirect and "location" in response.headers:
                    url = urljoin(url, response.headers["location"])
                    continue
                if response.status_code >= 400:
                    raise Rejected(f"HTTP {response.status_code} {response.reason_phrase}".strip())
                data = _body(response, max_bytes)
                return Fetched(url, response.headers.get("content-type"), data)
            finally:
                response.close()
    raise Rejected(f"more than {MAX_REDIRECTS} redirects")


def _body(response: httpx.Response, max_bytes: int) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise Rejected(f"larger than {max_bytes} bytes")
    chunks, size = [], 0
    try:
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > max_bytes:
                raise Rejected(f"larger than {max_bytes} bytes")
            chunks.append(chunk)
    except httpx.HTTPError as exc:
        raise Rejected(f"download failed: {exc}") from exc
    return b"".join(chunks)
