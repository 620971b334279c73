"""End-to-end: Debian's chromium, driven by Playwright, on every page of the web app.

Each page must load with no console error, no failed request and no request leaving the local
server; a full-page screenshot of each is saved under test-artifacts/screenshots/.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

import pytest

from diplograph.api.app import Settings
from diplograph.store.database import Store
from diplograph.web.geo import atlas_path
from served import serving
from test_web_pages import TOKEN

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "screenshots"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.parametrize("kb_store", ["sqlite"], indirect=True),
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="chromium is not installed at /usr/bin/chromium (apt-get install chromium;"
        " make test installs it when run as root)",
    ),
]

# An article of this test's own writing, for the ingest form.
ARTICLE = """Kazakh and Kyrgyz foreign ministers meet in Bishkek

BISHKEK, 14 May 2024 - Kazakh Foreign Minister Murat Nurtleu held talks with Kyrgyz Foreign
Minister Zheenbek Kulubaev in Bishkek on Tuesday, May 14, 2024.

The ministers discussed water management, transport corridors and border trade.
"""


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=ARGS
        )
        yield launched
        launched.close()


@pytest.fixture
def site(kb_store: Store) -> Iterator[str]:
    with serving(Settings(db=kb_store.url, token=TOKEN)) as base:
        yield base


@dataclass
class Watched:
    """A browser page with every console error, page error and failed or foreign request."""

    page: object
    base: str
    problems: list[str] = field(default_factory=list)

    def goto(self, path: str) -> object:
        response = self.page.goto(self.base + path, wait_until="networkidle")
        assert response is not None and response.ok, f"{path}: HTTP {response and response.status}"
        return response

    def check(self) -> None:
        assert not self.problems, "\n".join(self.problems)

    def shot(self, name: str) -> None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.fixture
def watched(browser, site: str) -> Iterator[Watched]:
    context = browser.new_context(viewport={"width": 1360, "height": 900})
    page = context.new_page()
    seen = Watched(page, site)
    page.on(
        "console",
        lambda msg: msg.type == "error" and seen.problems.append(f"console: {msg.text}"),
    )
    page.on("pageerror", lambda exc: seen.problems.append(f"page error: {exc}"))
    page.on(
        "requestfailed",
        lambda req: seen.problems.append(f"failed: {req.url} {req.failure}"),
    )
    page.on(
        "request",
        lambda req: (
            req.url.startswith((site, "data:", "blob:"))
            or seen.problems.append(f"external request: {req.url}")
        ),
    )
    # nothing may leave the machine: every other host is cut off (and reported above)
    page.route(re.compile(r"^(?!" + re.escape(site) + r").*"), lambda route: route.abort())
    yield seen
    context.close()


def drawn(watched: Watched, chart: str) -> None:
    """Wait until the Plotly chart ``chart`` is drawn (its SVG is in the page)."""
    watched.page.wait_for_selector(f"#{chart}[data-drawn='true'] svg.main-svg", timeout=20_000)


def test_dashboard(watched: Watched) -> None:
    watched.goto("/")
    drawn(watched, "trend")
    body = watched.page.inner_text("main")
    assert "Most active dyads" in body and "Kazakhstan" in body
    assert watched.page.locator("#trend .barlayer .point").count() > 0  # the bars are drawn
    watched.shot("dashboard")
    watched.check()


def test_event_explorer_filters(watched: Watched) -> None:
    watched.goto("/events")
    watched.page.select_option("select[name=type]", "CONSULT")
    with watched.page.expect_navigation(wait_until="networkidle"):
        watched.page.click("form.filters button[type=submit]")
    assert "type=CONSULT" in watched.page.url
    types = watched.page.locator("table.events tbody tr").evaluate_all(
        "rows => rows.map(r => r.dataset.type)"
    )
    assert types and set(types) == {"CONSULT"}
    watched.shot("events-consult")
    watched.check()


def test_event_page_highlights_evidence(watched: Watched) -> None:
    watched.goto("/events?actor=KAZ&partner=CHN&since=2020-09-12&until=2020-09-12&type=CONSULT")
    with watched.page.expect_navigation(wait_until="networkidle"):
        watched.page.locator("table.events tbody tr a").first.click()
    assert re.search(r"/events/[0-9a-f]{20}$", watched.page.url)
    mark = watched.page.locator("mark.evidence").first
    assert mark.is_visible()
    sentences = watched.page.locator("blockquote.sentence").all_inner_texts()
    assert mark.inner_text().strip() in {s.strip() for s in sentences}
    assert "Wang Yi" in watched.page.inner_text("main")
    watched.shot("event")
    watched.check()


def test_actor_page(watched: Watched) -> None:
    watched.goto("/actors/Wang%20Yi")
    drawn(watched, "timeline")
    text = watched.page.inner_text("main")
    assert "Offices over time" in text and "Minister of Foreign Affairs" in text
    assert "Partners" in text and "Kazakhstan" in text
    watched.shot("actor-wang-yi")
    watched.check()


def test_dyad_page(watched: Watched) -> None:
    watched.goto("/dyad/KAZ/CHN")
    drawn(watched, "timeline")
    text = watched.page.inner_text("main")
    assert "2020-09-12" in text and "Wang Yi" in text
    assert "High-level visits and meetings" in text
    watched.shot("dyad-kaz-chn")
    watched.check()


def test_network_click_opens_actor(watched: Watched) -> None:
    watched.goto("/network")
    drawn(watched, "network")
    watched.shot("network")
    nodes = watched.page.locator("#network .scatterlayer .trace").last.locator("path.point")
    assert nodes.count() > 10
    box = nodes.first.bounding_box()  # the busiest party: Kazakhstan
    assert box is not None
    with watched.page.expect_navigation(wait_until="networkidle"):
        watched.page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    assert unquote(watched.page.url).endswith("/actors/KAZ")
    assert "Kazakhstan" in watched.page.inner_text("h1")
    watched.check()


def test_map(watched: Watched) -> None:
    if atlas_path() is None:
        pytest.skip("world-atlas is not installed under .venv/geo (make install, with npm)")
    watched.goto("/map")
    drawn(watched, "map")
    shapes = watched.page.locator("#map .choroplethlayer path.choroplethlocation")
    assert shapes.count() > 150  # every country outline, from the local world-atlas geometry
    assert "Kazakhstan" in watched.page.inner_text("main")
    watched.shot("map")
    watched.check()


def test_calendar_and_search(watched: Watched) -> None:
    watched.goto("/calendar")
    assert watched.page.locator("ul.plans li").count() > 0
    watched.shot("calendar")
    watched.goto("/search?q=strategic+partnership")
    assert watched.page.locator("ol.hits li.hit").count() > 0
    assert watched.page.locator("ol.hits mark").count() > 0
    watched.shot("search")
    watched.check()


def test_not_found_page(watched: Watched) -> None:
    response = watched.page.goto(watched.base + "/actors/Tokayevv")
    assert response is not None and response.status == 404
    assert "Kassym-Jomart Tokayev" in watched.page.inner_text("main")
    watched.shot("not-found")


def test_correction_and_undo(watched: Watched) -> None:
    watched.goto("/events?actor=KAZ&partner=CHN&type=CONSULT")
    with watched.page.expect_navigation(wait_until="networkidle"):
        watched.page.locator("table.events tbody tr a").first.click()
    page = watched.page
    page.select_option("#correct-form select[name=type]", "AGREE")
    page.fill("#correct-form input[name=note]", "announced, not held")
    page.fill("#correct-form input[name=token]", TOKEN)
    with page.expect_navigation(wait_until="networkidle"):
        page.click("#correct-form button[type=submit]")
    assert page.locator("h1 .badge").inner_text() == "AGREE"
    assert "announced, not held" in page.inner_text("section.corrections")
    watched.shot("event-corrected")
    for _ in range(page.locator("button.undo").count()):
        with page.expect_navigation(wait_until="networkidle"):
            page.locator("button.undo").first.click()
    assert page.locator("h1 .badge").inner_text() == "CONSULT"
    watched.check()


def test_wrong_token_is_refused(watched: Watched) -> None:
    watched.goto("/events?actor=KAZ&partner=CHN&type=CONSULT")
    watched.page.locator("table.events tbody tr a").first.click()
    watched.page.wait_for_selector("#correct-form")
    watched.page.select_option("#correct-form select[name=type]", "AGREE")
    watched.page.fill("#correct-form input[name=token]", "not-the-token")
    watched.page.click("#correct-form button[type=submit]")
    status = watched.page.locator("#correct-status")
    status.filter(has_text="Refused (401)").wait_for(timeout=10_000)
    # the 401 of the API is the one expected console message; nothing else may go wrong
    others = [p for p in watched.problems if "401" not in p]
    assert not others, others


def test_ingest_form(watched: Watched, tmp_path: Path) -> None:
    article = tmp_path / "kaz-kgz-2024.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    watched.goto("/ingest")
    watched.page.set_input_files("#ingest-form input[name=file]", str(article))
    watched.page.fill("#ingest-form input[name=token]", TOKEN)
    watched.page.click("#ingest-form button[type=submit]")
    status = watched.page.locator("#ingest-status.ok")
    status.wait_for(timeout=60_000)
    assert "1 new article(s)" in status.inner_text()
    watched.shot("ingest")
    watched.check()
    watched.goto("/search?q=Bishkek")
    assert "Kazakh and Kyrgyz foreign ministers meet in Bishkek" in watched.page.inner_text("main")
