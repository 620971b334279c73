"""The REST API on a real uvicorn server over the seeds + examples store, on every backend."""

from __future__ import annotations

import csv
import http.server
import io
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from diplograph.api.app import Settings
from diplograph.store.database import Store
from served import serving

TOKEN = "t0ken-for-tests"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
LIMIT = 64 * 1024  # the upload limit of the writable server

# An article of this test's own writing: one meeting of Kazakhstan and Mongolia.
ARTICLE = """ date 2024-05-21 Mongolian and Kazakh foreign ministers meet in Ulaanbaatar

ULAANBAATAR. KAZINFORM - Kazakh Foreign Minister Murat Nurtleu held talks with Mongolian \
Foreign Minister Battsetseg Batmunkh in Ulaanbaatar on Tuesday, May 21.

The ministers discussed cooperation in transport, agriculture and the mining industry.
"""

PAGE = """<!DOCTYPE html><html><head><title>Ministers meet in Vientiane</title>
<meta property="article:published_time" content="2024-06-11"></head><body><article>
<h1>Kazakh and Lao foreign ministers meet in Vientiane</h1>
<p>Kazakh Foreign Minister Murat Nurtleu held talks with Lao Foreign Minister Saleumxay
Kommasith in Vientiane on Tuesday, June 11, 2024.</p>
<p>The two ministers discussed trade, transport and education.</p>
</article></body></html>"""


@contextmanager
def running(settings: Settings) -> Iterator[httpx.Client]:
    """The app for ``settings`` served on a free port; an httpx client for it."""
    with serving(settings) as base, httpx.Client(base_url=base, timeout=60) as client:
        yield client


@pytest.fixture
def api(kb_store: Store) -> Iterator[httpx.Client]:
    """A read-only server (no token: writes off)."""
    with running(Settings(db=kb_store.url)) as client:
        yield client


@pytest.fixture
def writer(kb_store: Store) -> Iterator[httpx.Client]:
    """A server with writes on (bearer token) and a small upload limit."""
    with running(Settings(db=kb_store.url, token=TOKEN, max_upload_bytes=LIMIT)) as client:
        yield client


def wang_yi_meeting(items: list[dict]) -> dict:
    """The 2020-09-12 meeting of Tokayev and Wang Yi among the events."""
    for event in items:
        names = {p["name"] for p in event["actor"] + event["recipient"]}
        if event["date"] == "2020-09-12" and "Wang Yi" in names:
            return event
    raise AssertionError("no 2020-09-12 event with Wang Yi")


# -- reading -----------------------------------------------------------------------------------


def test_events_filters_and_detail(api: httpx.Client) -> None:
    page = api.get("/api/events", params={"actor": "KAZ", "partner": "CHN", "limit": 100}).json()
    assert page["total"] == len(page["items"]) > 5
    meeting = wang_yi_meeting(page["items"])
    codes = {p["code"] for p in meeting["actor"] + meeting["recipient"]}
    assert {"KAZ", "CHN"} <= codes
    consult = api.get(
        "/api/events",
        params={"actor": "Kazakhstan", "partner": "China", "type": "consult", "since": "2020",
                "until": "2020-12", "min_confidence": 0.1},
    ).json()  # fmt: skip
    assert consult["items"] and {e["type"] for e in consult["items"]} == {"CONSULT"}
    assert all("2020" <= e["date"][:4] <= "2020" for e in consult["items"])
    wang_yi_meeting(consult["items"])
    words = api.get("/api/events", params={"text": "Wang Yi", "actor": "CHN"}).json()
    assert words["total"] >= 1
    future = api.get("/api/events", params={"aux": "future"}).json()["items"]
    assert future and all(e["aux"] == "future" for e in future)

    detail = api.get(f"/api/events/{meeting['id']}").json()
    assert detail["id"] == meeting["id"] and detail["date"] == "2020-09-12"
    mention = detail["mentions"][0]
    assert mention["article"]["id"] and mention["article"]["title"]
    assert mention["text"] and mention["end"] > mention["start"]
    missing = api.get("/api/events/0000000000nosuchevent")
    assert missing.status_code == 404 and "no event" in missing.json()["detail"]


def test_pagination_and_sorting(api: httpx.Client) -> None:
    first = api.get("/api/events", params={"limit": 7, "offset": 0}).json()
    second = api.get("/api/events", params={"limit": 7, "offset": 7}).json()
    assert first["total"] == second["total"] > 14
    ids = [e["id"] for e in first["items"]], [e["id"] for e in second["items"]]
    assert len(ids[0]) == len(ids[1]) == 7 and not set(ids[0]) & set(ids[1])
    everything = api.get("/api/events", params={"limit": 500}).json()
    assert [e["id"] for e in everything["items"][:14]] == ids[0] + ids[1]
    dates = [e["date"] for e in everything["items"] if e["date"]]
    assert dates == sorted(dates, reverse=True)
    ascending = api.get("/api/events", params={"order": "date_asc", "limit": 500}).json()
    up = [e["date"] for e in ascending["items"] if e["date"]]
    assert up == sorted(up) and up[0] < dates[0]
    best = api.get("/api/events", params={"order": "confidence", "limit": 500}).json()["items"]
    scores = [e["confidence"] for e in best if e["confidence"] is not None]
    assert scores == sorted(scores, reverse=True)
    beyond = api.get("/api/events", params={"offset": 100_000}).json()
    assert beyond["items"] == [] and beyond["total"] == first["total"]
    assert api.get("/api/events", params={"limit": 501}).status_code == 400


def test_csv_download(api: httpx.Client) -> None:
    response = api.get("/api/events.csv", params={"actor": "KAZ", "partner": "CHN"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    total = api.get("/api/events", params={"actor": "KAZ", "partner": "CHN"}).json()["total"]
    assert len(rows) == total
    assert any(r["date"] == "2020-09-12" and "Wang Yi" in r["actor_names"] + r["recipient_names"]
               for r in rows)  # fmt: skip
    assert {"id", "actor_codes", "evidence", "article_title"} <= set(rows[0])
    paged = api.get("/api/events.csv", params={"limit": 3, "offset": 2}).text
    assert len(list(csv.DictReader(io.StringIO(paged)))) == 3
    empty = api.get("/api/events.csv", params={"actor": "KAZ", "since": "2099"}).text
    assert empty.startswith("id,date,type") and len(empty.strip().splitlines()) == 1
    assert api.get("/api/events.csv", params={"type": "nonsense"}).status_code == 400


def test_actors_relations_timeline_graph(api: httpx.Client) -> None:
    found = api.get("/api/actors", params={"q": "wang", "kind": "person"}).json()
    assert found[0]["name"] == "Wang Yi" and found[0]["code"] == "CHN"
    wang = api.get("/api/actors/Wang Yi").json()
    assert wang["id"] == "person:wang yi" and wang["event_count"] >= 1
    assert any("Foreign" in o["title"] for o in wang["offices"])
    assert api.get(f"/api/actors/{wang['id']}").json()["name"] == "Wang Yi"
    kaz = api.get("/api/actors/KAZ").json()
    assert kaz["code"] == "KAZ" and any(p["code"] == "CHN" for p in kaz["top_partners"])
    unknown = api.get("/api/actors/Tokayevv")
    assert unknown.status_code == 404 and "Kassym-Jomart Tokayev" in unknown.json()["suggestions"]

    partners = api.get("/api/relations/KAZ").json()
    china = next(p for p in partners if p["code"] == "CHN")
    assert china["events"] >= 5 and china["verbal_cooperation"] >= 1
    assert api.get("/api/relations/Nowhereland").status_code == 404

    years = api.get("/api/timeline", params={"a": "KAZ", "b": "CHN", "by": "year"}).json()
    y2020 = next(p for p in years if p["period"] == "2020")
    assert y2020["events"] >= 1 and y2020["types"].get("CONSULT", 0) >= 1
    assert sum(p["events"] for p in years) <= china["events"]  # undated events have no period

    graph = api.get("/api/graph", params={"min_events": 2}).json()
    ids = {n["id"] for n in graph["nodes"]}
    assert {"KAZ", "CHN"} <= ids
    assert any({e["source"], e["target"]} == {"KAZ", "CHN"} for e in graph["edges"])
    assert all(e["weight"] >= 2 for e in graph["edges"])
    assert api.get("/api/graph", params={"min_events": 0}).status_code == 400


def test_brief_calendar_search_facts_articles(api: httpx.Client) -> None:
    brief = api.get("/api/brief", params={"a": "Kazakhstan", "b": "China"}).json()
    assert brief["a"]["code"] == "KAZ" and brief["b"]["code"] == "CHN"
    assert any(item["date"] == "2020-09-12" for item in brief["meetings"])
    html = api.get("/api/brief", params={"a": "KAZ", "b": "CHN", "format": "html"})
    assert html.headers["content-type"].startswith("text/html")
    assert "2020-09-12" in html.text and "Wang Yi" in html.text
    markdown = api.get("/api/brief", params={"a": "KAZ", "b": "CHN", "format": "markdown"})
    assert markdown.headers["content-type"].startswith("text/markdown")
    assert markdown.text.startswith("# Kazakhstan (KAZ)")
    same = api.get("/api/brief", params={"a": "KAZ", "b": "Kazakhstan"})
    assert same.status_code == 400

    plans = api.get("/api/calendar").json()
    assert plans and all(p["aux"] == "future" and "planned_date" in p for p in plans)
    planned = [p["planned_date"] for p in plans if p["planned_date"]]
    assert planned == sorted(planned)

    hits = api.get("/api/search", params={"q": "Wang Yi"}).json()
    assert {h["kind"] for h in hits} == {"article", "event"}
    assert any("Wang" in h["snippet"] for h in hits)
    assert api.get("/api/search", params={"q": 'NEAR("x" AND'}).status_code == 200

    facts = api.get("/api/facts", params={"kind": "relations_established", "party": "VAT"}).json()
    assert facts["total"] >= 1 and all(f["kind"] == "relations_established" for f in facts["items"])
    assert all("VAT" in f["parties"] for f in facts["items"])

    articles = api.get("/api/articles", params={"limit": 5}).json()
    assert articles["total"] >= 30 and len(articles["items"]) == 5
    assert "text" not in articles["items"][0]
    second = api.get("/api/articles", params={"limit": 5, "offset": 5}).json()
    assert not {a["id"] for a in articles["items"]} & {a["id"] for a in second["items"]}
    wang = api.get("/api/events", params={"actor": "Wang Yi"}).json()["items"]
    ref = wang_yi_meeting(wang)["mentions"][0]
    article = api.get(f"/api/articles/{ref['article']['id']}").json()
    assert "Wang Yi" in article["text"]
    span = next(s for s in article["events"] if s["start"] == ref["start"])
    assert article["text"][span["start"] : span["end"]].strip() == ref["text"].strip()
    assert api.get("/api/articles/nosuch").status_code == 404
    stats = api.get("/api/stats").json()
    assert stats["events"] >= 100 and stats["articles"] == articles["total"]


@pytest.mark.parametrize(
    ("path", "params", "words"),
    [
        ("/api/events", {"actor": "Tokayevv"}, "Kassym-Jomart Tokayev"),
        ("/api/events", {"since": "2022-13-45"}, "2022-13-45"),
        ("/api/events", {"since": "2022-02-30"}, "2022-02-30"),
        ("/api/events", {"type": "chat"}, "chat"),
        ("/api/events", {"order": "random"}, "order"),
        ("/api/events", {"limit": "many"}, "limit"),
        ("/api/events", {"min_confidence": "2"}, "min_confidence"),
        ("/api/timeline", {"a": "KAZ", "by": "week"}, "by"),
        ("/api/timeline", {}, "a"),
        ("/api/brief", {"a": "KAZ", "b": "Nowhereland"}, "Nowhereland"),
        ("/api/calendar", {"since": "soon"}, "soon"),
        ("/api/facts", {"party": "Tokayevv"}, "Tokayevv"),
    ],
)
def test_bad_input_is_400(api: httpx.Client, path: str, params: dict, words: str) -> None:
    response = api.get(path, params=params)
    assert response.status_code == 400, response.text
    body = response.json()
    assert words in body["detail"] + " ".join(body["suggestions"]) and "suggestions" in body


# -- writing -----------------------------------------------------------------------------------


def test_writes_off_without_a_token(api: httpx.Client) -> None:
    event_id = api.get("/api/events", params={"limit": 1}).json()["items"][0]["id"]
    attempts = [
        api.post("/api/ingest", files={"file": ("a.txt", ARTICLE.encode())}, headers=AUTH),
        api.post("/api/ingest/url", json={"url": "https://example.org/"}, headers=AUTH),
        api.post(f"/api/events/{event_id}/corrections", json={"type": "CONSULT"}),
        api.delete("/api/corrections/1", headers=AUTH),
        api.post("/api/actors/merge", json={"into": "Wang Yi", "merge": "Yi"}),
    ]
    for response in attempts:
        assert response.status_code == 403 and "writes are off" in response.json()["detail"]


def test_wrong_or_missing_token_is_401(writer: httpx.Client) -> None:
    event = writer.get("/api/events", params={"limit": 1}).json()["items"][0]
    url = f"/api/events/{event['id']}/corrections"
    for headers in ({}, {"Authorization": "Bearer nope"}, {"Authorization": f"Basic {TOKEN}"}):
        response = writer.post(url, json={"type": "REJECT"}, headers=headers)
        assert response.status_code == 401 and response.headers["www-authenticate"] == "Bearer"
        upload = writer.post("/api/ingest", files={"file": ("a.txt", b"x")}, headers=headers)
        assert upload.status_code == 401
    assert writer.get(f"/api/events/{event['id']}").json()["type"] == event["type"]


def test_oversize_upload_is_413(writer: httpx.Client) -> None:
    big = b"The ministers met again. " * (3 * LIMIT // 25)
    response = writer.post("/api/ingest", files={"file": ("big.txt", big)}, headers=AUTH)
    assert response.status_code == 413 and str(LIMIT) in response.json()["detail"]

    def chunks() -> Iterator[bytes]:  # no Content-Length: refused while streaming
        boundary = b"--bnd\r\n"
        yield boundary + b'Content-Disposition: form-data; name="file"; filename="b.txt"\r\n\r\n'
        for _ in range(40):
            yield b"y" * 8192
        yield b"\r\n--bnd--\r\n"

    streamed = writer.post(
        "/api/ingest",
        content=chunks(),
        headers=AUTH | {"Content-Type": "multipart/form-data; boundary=bnd"},
    )
    assert streamed.status_code == 413
    just_over = b"z" * (LIMIT + 1)  # over the limit, but within the multipart framing allowance
    response = writer.post("/api/ingest", files={"file": ("o.txt", just_over)}, headers=AUTH)
    assert response.status_code == 413
    assert (
        writer.get("/api/stats").json()["articles"] == writer.get("/api/articles").json()["total"]
    )


def test_upload_ingests_and_corrections_round_trip(writer: httpx.Client) -> None:
    before = writer.get("/api/stats").json()
    response = writer.post(
        "/api/ingest", files={"file": ("mongolia.txt", ARTICLE.encode())}, headers=AUTH
    )
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["stored"] == 1 and result["events"] >= 1 and not result["rejections"]
    found = writer.get("/api/events", params={"actor": "MNG", "partner": "KAZ"}).json()["items"]
    meeting = next(e for e in found if e["date"] == "2024-05-21")
    assert meeting["mentions"][0]["article"]["path"] == "mongolia.txt"
    assert writer.get("/api/stats").json()["articles"] == before["articles"] + 1
    again = writer.post("/api/ingest", files={"file": ("m.txt", ARTICLE.encode())}, headers=AUTH)
    assert again.json()["already_stored"] == 1 and again.json()["stored"] == 0
    empty = writer.post("/api/ingest", files={"file": ("e.txt", b"")}, headers=AUTH)
    assert empty.status_code == 400
    assert writer.post("/api/ingest", data={"x": "1"}, headers=AUTH).status_code == 400

    url = f"/api/events/{meeting['id']}/corrections"
    fixed = writer.post(url, json={"type": "REJECT", "note": "test"}, headers=AUTH).json()
    assert fixed["event"]["type"] == "REJECT" and fixed["event"]["corrected"]
    assert writer.get(f"/api/events/{meeting['id']}").json()["type"] == "REJECT"
    bad = writer.post(url, json={"date": "2024-02-30"}, headers=AUTH)
    assert bad.status_code == 400 and "2024-02-30" in bad.json()["detail"]
    assert writer.post(url, json={}, headers=AUTH).status_code == 400
    assert writer.post("/api/events/nosuch/corrections", json={"type": "REJECT"},
                       headers=AUTH).status_code == 404  # fmt: skip
    listed = writer.get("/api/corrections", params={"event": meeting["id"]}).json()
    assert [c["field"] for c in listed] == [c["field"] for c in fixed["corrections"]]
    assert listed[0]["field"] == "type"  # (a mode the new type lacks is corrected away too)
    for fix in reversed(fixed["corrections"]):
        undone = writer.delete(f"/api/corrections/{fix['id']}", headers=AUTH)
        assert undone.status_code == 200 and undone.json()["active"] is False
    restored = writer.get(f"/api/events/{meeting['id']}").json()
    assert (restored["type"], restored["mode"]) == (meeting["type"], meeting["mode"])
    fix_id = fixed["corrections"][0]["id"]
    assert writer.delete(f"/api/corrections/{fix_id}", headers=AUTH).status_code == 409
    assert writer.delete("/api/corrections/99999", headers=AUTH).status_code == 404

    gone = writer.get("/api/actors/Battsetseg Batmunkh").json()
    merge = {"into": "Murat Nurtleu", "merge": gone["id"], "note": "test"}
    merged = writer.post("/api/actors/merge", json=merge, headers=AUTH)
    assert merged.status_code == 200, merged.text
    assert writer.get(f"/api/actors/{gone['id']}").status_code == 404
    assert writer.get("/api/actors/Battsetseg Batmunkh").json()["name"] == "Murat Nurtleu"
    writer.delete(f"/api/corrections/{merged.json()['id']}", headers=AUTH)
    assert writer.get(f"/api/actors/{gone['id']}").json()["name"] == "Battsetseg Batmunkh"
    assert writer.post("/api/actors/merge", json={"into": "X"}, headers=AUTH).status_code == 400


def test_url_ingest_refuses_local_addresses(writer: httpx.Client) -> None:
    for url, words in [
        ("file:///etc/passwd", "scheme"),
        ("ftp://example.org/a.txt", "scheme"),
        ("http://127.0.0.1:9/page.html", "non-public"),
        ("http://localhost/page.html", "non-public"),
        ("http://[::1]/page.html", "non-public"),
        ("http://169.254.169.254/latest/meta-data/", "non-public"),
        ("http://10.1.2.3/", "non-public"),
        ("http://[::ffff:192.168.0.1]/", "non-public"),
        ("not a url", "scheme"),
    ]:
        response = writer.post("/api/ingest/url", json={"url": url}, headers=AUTH)
        assert response.status_code == 400 and words in response.json()["detail"], url


@contextmanager
def local_site(folder: Path) -> Iterator[str]:
    """``folder`` served over http on 127.0.0.1 (a redirect at /moved to /page.html)."""

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, directory=str(folder), **kwargs)  # type: ignore[misc]

        def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
            if self.path == "/moved":
                self.send_response(302)
                self.send_header("Location", "/page.html")
                self.end_headers()
                return
            super().do_GET()

        def log_message(self, *_args: object) -> None:
            pass

    site = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=site.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{site.server_address[1]}"
    finally:
        site.shutdown()
        site.server_close()


def test_url_ingest_of_a_local_page_when_allowed(kb_store: Store, tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text(PAGE, encoding="utf-8")
    settings = Settings(db=kb_store.url, token=TOKEN, allow_private_urls=True)
    with local_site(tmp_path) as site, running(settings) as client:
        response = client.post("/api/ingest/url", json={"url": f"{site}/moved"}, headers=AUTH)
        assert response.status_code == 200, response.text
        assert response.json()["stored"] == 1
        article_id = response.json()["article_ids"][0]
        article = client.get(f"/api/articles/{article_id}").json()
        assert article["url"] == f"{site}/page.html" and "Vientiane" in article["text"]
        events = client.get("/api/events", params={"actor": "KAZ", "since": "2024-06"}).json()
        assert any(m["article"]["id"] == article_id for e in events["items"] for m in e["mentions"])
        missing = client.post("/api/ingest/url", json={"url": f"{site}/none"}, headers=AUTH)
        assert missing.status_code == 400 and "404" in missing.json()["detail"]


def test_openapi_describes_the_api(api: httpx.Client) -> None:
    schema = api.get("/openapi.json").json()
    paths = schema["paths"]
    for path in ("/api/events", "/api/events.csv", "/api/events/{event_id}", "/api/actors",
                 "/api/brief", "/api/graph", "/api/ingest", "/api/ingest/url",
                 "/api/corrections/{correction_id}", "/api/actors/merge"):  # fmt: skip
        assert path in paths, path
    events = paths["/api/events"]["get"]
    names = {p["name"] for p in events["parameters"]}
    assert {"actor", "partner", "type", "since", "until", "context", "mode", "aux", "location",
            "min_confidence", "text", "limit", "offset", "order"} <= names  # fmt: skip
    assert "multipart/form-data" in paths["/api/ingest"]["post"]["requestBody"]["content"]
    assert api.get("/docs").status_code == 200
