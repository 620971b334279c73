"""Downloading one web page or feed, with a size cap and one-line reasons for failures."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from diplograph.ingest.errors import Rejected

USER_AGENT = "diplograph/0.1"
MAX_REDIRECTS = 5


@dataclass(slots=True, frozen=True)
class Fetched:
    """A downloaded document: the final URL (after redirects), its content type, its bytes."""

    url: str
    content_type: str | None
    data: bytes


def fetch(url: str, *, max_bytes: int, timeout: float = 20.0) -> Fetched:
    """GET ``url`` (http or https), following up to five redirects.

    The body is streamed and the download abandoned as soon as it exceeds ``max_bytes``
    (counted after decompression). Raises :class:`Rejected` for that, for HTTP errors
    (status 400 and up) and for network failures.
    """
    scheme = urlsplit(url).scheme.lower()
    if scheme not in {"http", "https"}:
        raise Rejected(f"unsupported URL scheme {scheme!r} (only http and https)")
    try:
        with (
            httpx.Client(
                follow_redirects=True,
                max_redirects=MAX_REDIRECTS,
                timeout=timeout,
                headers={"User-Agent": USER_AGENT},
            ) as client,
            client.stream("GET", url) as response,
        ):
            if response.status_code >= 400:
                reason = response.reason_phrase or ""
                raise Rejected(f"HTTP {response.status_code} {reason}".strip())
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise Rejected(_too_large(max_bytes))
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    raise Rejected(_too_large(max_bytes))
                chunks.append(chunk)
            return Fetched(
                url=str(response.url),
                content_type=response.headers.get("content-type"),
                data=b"".join(chunks),
            )
    except httpx.TooManyRedirects as exc:
        raise Rejected(f"more than {MAX_REDIRECTS} redirects") from exc
    except httpx.TimeoutException as exc:
        raise Rejected(f"timed out after {timeout:g} s ({_one_line(exc)})") from exc
    except httpx.UnsupportedProtocol as exc:
        raise Rejected(f"redirected to an unsupported URL ({_one_line(exc)})") from exc
    except httpx.InvalidURL as exc:
        raise Rejected(f"invalid URL ({_one_line(exc)})") from exc
    except httpx.ConnectError as exc:
        raise Rejected(f"cannot connect: {_one_line(exc)}") from exc
    except httpx.HTTPError as exc:
        raise Rejected(f"download failed: {_one_line(exc)}") from exc


def _too_large(max_bytes: int) -> str:
    if max_bytes >= 2**20:
        return f"larger than {max_bytes // 2**20} MiB"
    return f"larger than {max_bytes} bytes"


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__
