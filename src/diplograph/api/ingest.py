"""Ingest over the API: an uploaded file or a fetched URL goes through the normal pipeline.

The upload is counted while it streams in and refused (413) as soon as it passes the limit;
nothing larger than the limit is ever written. The document is saved under a temporary
name with its original suffix (the pipeline picks the reader by suffix), ingested under the
write lock, and the stored articles are given their real provenance: the uploaded file's
name, or the URL.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import AsyncGenerator
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field
from sqlalchemy import delete, update
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser

from diplograph import pipeline
from diplograph.api import auth, deps, models, urlguard
from diplograph.ingest.errors import Rejected
from diplograph.ingest.sources import EXTENSIONS, MAX_DOCUMENT_BYTES, kind_from_content_type
from diplograph.kb.base import KnowledgeBase
from diplograph.store.schema import articles, sources

router = APIRouter(route_class=deps.ApiRoute, tags=["ingest"], responses=deps.ERRORS)
KB = Annotated[KnowledgeBase, Depends(deps.kb)]

FRAMING = 16 * 1024  # multipart boundaries and part headers around the file
SUFFIXES = {"feed": ".xml", "html": ".html", "json": ".json", "jsonl": ".jsonl", "text": ".txt"}
_UNSAFE = re.compile(r"[^\w.\- ]+")

UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {"file": {"type": "string", "format": "binary"}},
                }
            }
        },
    }
}


class UrlIngest(BaseModel):
    url: str = Field(description="An http or https URL: a page, a feed or a text document")


def _too_large(limit: int) -> deps.TooLarge:
    return deps.TooLarge(f"upload larger than the limit of {limit} bytes")


async def _counted(request: Request, limit: int) -> AsyncGenerator[bytes, None]:
    """The request body, refused as soon as it passes ``limit`` bytes plus the framing."""
    received = 0
    async for chunk in request.stream():
        received += len(chunk)
        if received > limit + FRAMING:
            raise _too_large(limit)
        yield chunk


async def _receive(request: Request, folder: Path, limit: int) -> Path:
    """Save the ``file`` part of a multipart upload in ``folder``, under its own name."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit + FRAMING:
        raise _too_large(limit)
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise deps.ApiError("send the document as multipart/form-data in a field named 'file'")
    parser = MultiPartParser(request.headers, _counted(request, limit), max_files=1, max_fields=4)
    try:
        form = await parser.parse()
    except MultiPartException as exc:
        raise deps.ApiError(f"bad upload: {exc.message}") from None
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        raise deps.ApiError("no file: send the document in a multipart field named 'file'")
    try:
        if (upload.size or 0) > limit:
            raise _too_large(limit)
        name = _UNSAFE.sub("_", Path(upload.filename or "upload.txt").name).strip(" .")
        target = folder / (name or "upload.txt")
        await run_in_threadpool(_save, upload, target)
    finally:
        await upload.close()
    return target


def _save(upload: UploadFile, target: Path) -> None:
    upload.file.seek(0)
    with target.open("wb") as out:
        shutil.copyfileobj(upload.file, out)


def _ingest(kb: KnowledgeBase, file: Path, *, path: str | None, url: str | None) -> dict[str, Any]:
    """Ingest ``file`` (under the write lock); the articles stored get ``path``/``url``."""
    with auth.WRITE_LOCK:
        report = pipeline.ingest([str(file)], kb.store)
        with kb.store.engine.begin() as connection:
            stored = articles.c.path == str(file)
            ids = list(connection.execute(articles.select().with_only_columns(articles.c.id)
                                          .where(stored)).scalars())  # fmt: skip
            connection.execute(update(articles).where(stored).values(path=path))
            if url:
                connection.execute(
                    update(articles).where(articles.c.id.in_(ids), articles.c.url.is_(None))
                    .values(url=url)
                )  # fmt: skip
            connection.execute(delete(sources).where(sources.c.location == str(file)))
    reasons = [f"{r.reason}" + (f" (line {r.line})" if r.line else "") for r in report.rejections]
    if not report.articles_read and reasons:
        raise deps.ApiError(f"nothing ingested: {reasons[0]}")
    return {
        "articles_read": report.articles_read,
        "stored": report.stored,
        "already_stored": report.already_stored,
        "events": report.events,
        "facts": report.facts,
        "article_ids": ids,
        "rejections": reasons,
        "seconds": round(report.seconds, 3),
    }


@router.post(
    "/ingest",
    response_model=models.IngestResult,
    dependencies=[auth.Writer],
    openapi_extra=UPLOAD_BODY,
    responses=auth.WRITE_ERRORS | {413: {"model": deps.ErrorBody, "description": "Too large"}},
)
async def ingest_upload(request: Request, kb: KB) -> dict[str, Any]:
    """Ingest one uploaded document (text, HTML, RSS/Atom, JSON or JSON Lines; the reader is
    chosen by the file's suffix, else by its content) up to the server's upload limit."""
    limit = deps.settings(request).max_upload_bytes
    folder = Path(tempfile.mkdtemp(prefix="diplograph-upload-"))
    try:
        file = await _receive(request, folder, limit)
        return await run_in_threadpool(_ingest, kb, file, path=file.name, url=None)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@router.post(
    "/ingest/url",
    response_model=models.IngestResult,
    dependencies=[auth.Writer],
    responses=auth.WRITE_ERRORS,
)
def ingest_url(request: Request, kb: KB, body: UrlIngest) -> dict[str, Any]:
    """Fetch one http(s) URL (a page, feed or text document) and ingest it. Loopback, private
    and link-local addresses are refused unless the server allows them."""
    allow = deps.settings(request).allow_private_urls
    limit = min(deps.settings(request).max_upload_bytes, MAX_DOCUMENT_BYTES)
    try:
        fetched = urlguard.fetch(body.url.strip(), max_bytes=limit, allow_private=allow)
    except Rejected as exc:
        raise deps.ApiError(f"cannot fetch {body.url}: {exc.reason}") from None
    kind = kind_from_content_type(fetched.content_type) or EXTENSIONS.get(
        Path(urlsplit(fetched.url).path).suffix.lower()
    )
    folder = Path(tempfile.mkdtemp(prefix="diplograph-url-"))
    try:
        file = folder / f"document{SUFFIXES.get(kind or '', '')}"
        file.write_bytes(fetched.data)
        return _ingest(kb, file, path=None, url=fetched.url)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
