"""The web app's pages over HTTP: a real uvicorn server on the seeds + examples store.

The browser tests (test_web_browser.py) drive the same pages in chromium; these check the HTML
the server sends: content, escaping, 404 pages, the assets served locally.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from urllib.parse import quote

import httpx
import pytest

from diplograph.api.app import Settings
from diplograph.store.database import Store
from diplograph.web.geo import atlas_path
from served import serving

TOKEN = "web-token-for-tests"


@pytest.fixture
def web(kb_store: Store) -> Iterator[httpx.Client]:
    with (
        serving(Settings(db=kb_store.url, token=TOKEN)) as base,
        httpx.Client(base_url=base, timeout=60) as client,
    ):
        yield client


def figure(html: str, name: str) -> dict:
    """The Plotly figure embedded in a page as JSON (``<script id="NAME-data">``)."""
    found = re.search(rf'<script type="application/json" id="{name}-data">(.*?)</script>', html)
    assert found, f"no {name} figure in the page"
    return json.loads(found.group(1))


def kaz_chn_event_id(client: httpx.Client) -> str:
    page = client.get("/events", params={"actor": "KAZ", "partner": "CHN", "since": "2020-09-12",
                                         "until": "2020-09-12", "type": "CONSULT"})  # fmt: skip
    ids = re.findall(r'href="/events/([0-9a-f]{20})"', page.text)
    assert ids, "no KAZ–CHN meeting on 2020-09-12"
    return ids[0]


def test_dashboard_counts_trend_dyads(web: httpx.Client) -> None:
    page = web.get("/")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    stats = web.get("/api/stats").json()
    assert f">{stats['events']:,}</span> events" in page.text
    trend = figure(page.text, "trend")
    names = [trace["name"] for trace in trend["data"]]
    assert names[:4] == [
        "verbal cooperation",
        "material cooperation",
        "verbal conflict",
        "material conflict",
    ]
    assert "2020-09" in trend["data"][0]["x"]
    assert 'href="/dyad/CHN/KAZ"' in page.text  # the busiest pair of the corpus


def test_event_explorer_filters_and_pages(web: httpx.Client) -> None:
    page = web.get("/events", params={"type": "consult", "actor": "KAZ"})
    assert page.status_code == 200
    types = re.findall(r'<tr data-type="([A-Z]+)">', page.text)
    assert types and set(types) == {"CONSULT"}
    assert '<option value="CONSULT" selected>' in page.text
    first = web.get("/events", params={"page": 1}).text
    second = web.get("/events", params={"page": 2}).text
    assert 'rel="next"' in first and 'rel="prev"' in second
    first_ids = set(re.findall(r'href="/events/([0-9a-f]{20})"', first))
    assert first_ids.isdisjoint(re.findall(r'href="/events/([0-9a-f]{20})"', second))


def test_event_explorer_bad_input(web: httpx.Client) -> None:
    page = web.get("/events", params={"actor": "Tokayevv"})
    assert page.status_code == 400
    assert "no actor known as &#39;Tokayevv&#39;" in page.text
    assert "Kassym-Jomart Tokayev" in page.text  # the suggestion
    assert web.get("/events", params={"since": "2022-02-30"}).status_code == 400


def test_event_page_marks_evidence(web: httpx.Client) -> None:
    event_id = kaz_chn_event_id(web)
    page = web.get(f"/events/{event_id}")
    assert page.status_code == 200
    record = web.get(f"/api/events/{event_id}").json()
    marks = re.findall(r'<mark class="evidence">(.*?)</mark>', page.text, re.S)
    assert marks
    sentences = {m["text"].strip() for m in record["mentions"]}
    assert any(mark.strip() in sentences for mark in marks)
    assert "Wang Yi" in page.text and "2020-09-12" in page.text
    assert 'id="correct-form"' in page.text  # writes are on: the correction form is shown


def test_actor_pages_and_404(web: httpx.Client) -> None:
    page = web.get("/actors/Wang Yi")
    assert page.status_code == 200
    assert "Minister of Foreign Affairs" in page.text  # an office over time
    assert 'href="/dyad/' in page.text
    state = web.get("/actors/KAZ")
    assert state.status_code == 200 and "Kazakhstan" in state.text
    assert figure(state.text, "timeline")["data"]
    person = web.get("/actors/" + quote("person:wang yi", safe=""))
    assert person.status_code == 200 and "Wang Yi" in person.text
    missing = web.get("/actors/Tokayevv")
    assert missing.status_code == 404
    assert 'href="/actors/Kassym-Jomart%20Tokayev"' in missing.text
    assert web.get("/events/0000000000deadbeef00").status_code == 404
    nowhere = web.get("/no/such/page")
    assert nowhere.status_code == 404 and "text/html" in nowhere.headers["content-type"]
    assert web.get("/api/no-such-endpoint").headers["content-type"] == "application/json"


def test_dyad_page(web: httpx.Client) -> None:
    page = web.get("/dyad/KAZ/CHN")
    assert page.status_code == 200
    text = page.text
    assert "2020-09-12" in text and "Wang Yi" in text
    assert "High-level visits and meetings" in text  # the brief's sections
    chart = figure(text, "timeline")
    assert "2020-09" in chart["data"][0]["x"]
    assert "comprehensive strategic partnership" in text.lower()  # a fact of the pair
    assert web.get("/dyad/KAZ/KAZ").status_code == 400  # the same party twice


def test_network_map_calendar_search(web: httpx.Client) -> None:
    network = figure(web.get("/network").text, "network")
    nodes = network["data"][-1]
    assert nodes["customdata"][0][0] == "KAZ" and "CHN" in nodes["text"]
    assert network["click"] == "actor"
    map_page = web.get("/map").text
    assert 'href="/events?location=KAZ"' in map_page  # the table of countries
    if atlas_path() is not None:
        world = figure(map_page, "map")
        assert "KAZ" in world["data"][1]["locations"]
        assert world["layout"]["geo"]["visible"] is False
    calendar = web.get("/calendar")
    assert calendar.status_code == 200 and "2022-09" in calendar.text
    assert web.get("/calendar", params={"since": "2090"}).text.count("No planned events") == 1
    search = web.get("/search", params={"q": "Wang Yi"})
    assert "<mark>Wang</mark>" in search.text or "<mark>Wang Yi</mark>" in search.text
    assert "Nothing found" in web.get("/search", params={"q": "zzyzxqqq"}).text


def test_text_is_escaped(web: httpx.Client) -> None:
    page = web.get("/search", params={"q": "<script>alert(1)</script>"})
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    events = web.get("/events", params={"text": '"><img src=x onerror=alert(1)>'})
    assert "<img src=x" not in events.text


def test_assets_are_local(web: httpx.Client) -> None:
    plotly_js = web.get("/vendor/plotly.min.js")
    assert plotly_js.status_code == 200 and len(plotly_js.content) > 1_000_000
    assert web.get("/static/style.css").status_code == 200
    for path in ("/", "/dyad/KAZ/CHN", "/map", "/network"):
        html = web.get(path).text
        assert not re.search(r'(src|href)="(https?:)?//', html), f"{path} links another host"
    if atlas_path() is None:
        pytest.skip("world-atlas is not installed under .venv/geo (make install, with npm)")
    world = web.get("/geo/countries.json")
    assert world.status_code == 200
    assert web.get("/geo/topojson/world_110m.json").json()["type"] == "Topology"
    codes = {f["properties"]["code"] for f in world.json()["features"]}
    assert {"KAZ", "CHN", "RUS", "USA"} <= codes


def test_pages_stay_out_of_the_api_schema(web: httpx.Client) -> None:
    paths = web.get("/openapi.json").json()["paths"]
    assert all(path.startswith("/api") for path in paths)
