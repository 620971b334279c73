"""Finding inputs (files, folders, URLs) and sending each to the reader for its format."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from diplograph.ingest.decode import decode_bytes, looks_binary
from diplograph.ingest.errors import Rejected, Rejection
from diplograph.models import Article

# Whole documents (text, HTML, feeds) are read into memory; larger files are refused.
# JSON Lines files are streamed and have no size limit.
MAX_DOCUMENT_BYTES = 32 * 1024 * 1024

EXTENSIONS = {
    ".txt": "text",
    ".text": "text",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".xml": "feed",
    ".rss": "feed",
    ".atom": "feed",
}

Item = tuple[Article | Rejection, int]


@dataclass(frozen=True, slots=True)
class Source:
    """One input to read: a file path or an http(s) URL."""

    location: str
    kind: str | None = None
    size: int | None = None

    @property
    def is_url(self) -> bool:
        return is_url(self.location)


def is_url(location: str) -> bool:
    return urlsplit(location).scheme.lower() in {"http", "https"}


def discover(inputs: Iterable[str]) -> Iterator[Source | Rejection]:
    """Expand inputs into sources: folders recursively (hidden entries skipped), in order."""
    for raw in inputs:
        scheme = urlsplit(raw).scheme.lower()
        if scheme in {"http", "https"}:
            yield Source(raw)
        elif scheme and len(scheme) > 1 and "://" in raw:
            yield Rejection(raw, f"unsupported URL scheme {scheme!r} (only http and https)")
        else:
            yield from _discover_path(Path(raw))


def _file_source(file: Path, kind: str | None) -> Source | Rejection:
    """A regular file as a source; anything else found in a folder is refused, not opened."""
    try:
        info = file.stat()
    except OSError as exc:
        return Rejection(str(file), f"cannot read: {exc.strerror or exc}")
    if not stat.S_ISREG(info.st_mode):
        return Rejection(str(file), "not a regular file or folder")
    return Source(str(file), kind, info.st_size)


def _discover_path(path: Path) -> Iterator[Source | Rejection]:
    if path.is_dir():
        for root, dirs, files in os.walk(path):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                kind = EXTENSIONS.get(Path(name).suffix.lower())
                if kind and not name.startswith("."):
                    yield _file_source(Path(root) / name, kind)
    elif path.is_file():
        yield Source(str(path), EXTENSIONS.get(path.suffix.lower()), path.stat().st_size)
    elif path.exists():
        yield Rejection(str(path), "not a regular file or folder")
    else:
        yield Rejection(str(path), "no such file or folder")


def read_source(source: Source) -> Iterator[Item]:
    """Articles (or rejections) from one source, each with the bytes read so far."""
    try:
        if source.is_url:
            yield from _read_url(source)
        elif source.kind == "jsonl":
            yield from _read_jsonl_file(source)
        else:
            yield from _read_document_file(source)
    except Rejected as exc:
        yield Rejection(source.location, exc.reason, exc.line), source.size or 0
    except OSError as exc:
        yield Rejection(source.location, f"cannot read: {exc.strerror or exc}"), source.size or 0


def _read_jsonl_file(source: Source) -> Iterator[Item]:
    from diplograph.ingest.jsonl import read_jsonl

    with open(source.location, "rb") as stream:
        head = stream.read(8192)
        if not head.strip():
            raise Rejected("empty input")
        if looks_binary(head):
            raise Rejected("binary data, not text")
        stream.seek(0)
        for _, result in read_jsonl(stream, path=source.location):
            yield _as_item(result, source.location), stream.tell()


def _read_document_file(source: Source) -> Iterator[Item]:
    size = source.size if source.size is not None else os.path.getsize(source.location)
    if size > MAX_DOCUMENT_BYTES:
        raise Rejected(
            f"{size / 2**20:.0f} MiB is too large for one document "
            f"(limit {MAX_DOCUMENT_BYTES // 2**20} MiB); split it or convert it to JSON Lines"
        )
    data = Path(source.location).read_bytes()
    for result in read_document(data, source.kind, path=source.location):
        yield _as_item(result, source.location), size


def _read_url(source: Source) -> Iterator[Item]:
    from diplograph.ingest.fetch import fetch

    fetched = fetch(source.location, max_bytes=MAX_DOCUMENT_BYTES)
    kind = kind_from_content_type(fetched.content_type) or EXTENSIONS.get(
        Path(urlsplit(fetched.url).path).suffix.lower()
    )
    for result in read_document(fetched.data, kind, url=fetched.url):
        yield _as_item(result, source.location), len(fetched.data)


def kind_from_content_type(content_type: str | None) -> str | None:
    if not content_type:
        return None
    mime = content_type.split(";")[0].strip().lower()
    if mime in {"application/rss+xml", "application/atom+xml", "application/rdf+xml"}:
        return "feed"
    if mime in {"application/xml", "text/xml"}:
        return "feed"
    if mime in {"text/html", "application/xhtml+xml"}:
        return "html"
    if mime in {"application/jsonl", "application/x-ndjson", "application/jsonlines"}:
        return "jsonl"
    if mime == "application/json":
        return "json"
    if mime == "text/plain":
        return "text"
    return None


def sniff_kind(text: str) -> str:
    """Guess the format of a document whose name or content type did not say."""
    head = text[:2048].lstrip().lower()
    if head.startswith("<?xml") or head.startswith("<rss") or head.startswith("<feed"):
        if "<rss" in head or "<feed" in head or "<rdf:rdf" in head:
            return "feed"
        return "html" if "<html" in head else "feed"
    if head.startswith("<!doctype html") or head.startswith("<html") or "<body" in head:
        return "html"
    if head.startswith("{"):
        return "jsonl"
    if head.startswith("["):
        return "json"
    return "text"


def read_document(
    data: bytes, kind: str | None, *, path: str | None = None, url: str | None = None
) -> Iterator[Article | Rejected]:
    """Articles in one in-memory document of the given (or sniffed) kind."""
    if kind is None and not looks_binary(data[:65536]):
        # ASCII-compatible peek: XML must keep its bytes, whose declaration names the encoding
        kind = sniff_kind(data[:2048].removeprefix(b"\xef\xbb\xbf").decode("latin-1"))
    if kind == "feed":
        from diplograph.ingest.feed import read_feed

        if looks_binary(data[:65536]):
            raise Rejected("binary data, not a feed")
        yield from read_feed(data, path=path, url=url)
        return
    text, _ = decode_bytes(data)
    if kind == "html":
        from diplograph.ingest.html import read_html

        yield read_html(text, path=path, url=url)
    elif kind == "json":
        from diplograph.ingest.jsonl import read_json_document

        yield from read_json_document(text, path=path)
    elif kind == "jsonl":
        import io

        from diplograph.ingest.jsonl import read_jsonl

        for _, result in read_jsonl(io.BytesIO(text.encode("utf-8")), path=path):
            yield result
    else:
        from diplograph.ingest.text import read_text

        yield from read_text(text, path=path, url=url)


def _as_item(result: Article | Rejected, where: str) -> Article | Rejection:
    if isinstance(result, Rejected):
        return Rejection(where, result.reason, result.line)
    return result
