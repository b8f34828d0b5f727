"""The web explorer in a real headless Chromium (Debian's), driven by Playwright."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT

CHROMIUM = "/usr/bin/chromium"
OUT = ROOT / "test-output"
pytestmark = pytest.mark.browser


@pytest.fixture
def page(live_server: str) -> Iterator[object]:
    if not Path(CHROMIUM).exists() or shutil.which("chromium") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Debian chromium must be installed in CI (scripts/test installs it)")
        pytest.skip("Debian chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        pg = browser.new_page(viewport={"width": 1500, "height": 950})
        errors: list[str] = []
        pg.on("pageerror", lambda e: errors.append(str(e)))
        # A request the page's own security policy stops never leaves the machine (ReDoc's
        # logo on the docs page); any other failed request is a defect.
        pg.on(
            "requestfailed",
            lambda r: (
                None
                if r.failure in ("csp", "net::ERR_BLOCKED_BY_CSP")
                else errors.append(f"failed: {r.url} ({r.failure})")
            ),
        )
        pg.goto(live_server + "/")
        yield pg
        assert errors == [], errors
        browser.close()


def _actor(pg: object, name: str) -> object:
    return pg.locator("article.actor", has_text=name).first  # type: ignore[attr-defined]


def test_journalist_flow_reach_as_of_share_and_details(page: object, live_server: str) -> None:
    pg = page
    OUT.mkdir(exist_ok=True)
    pg.fill("#entity", "Rotterdam")  # type: ignore[attr-defined]
    pg.click("#suggestions li:has-text('Rotterdam port logistics data')")  # type: ignore[attr-defined]
    pg.click("#run")  # type: ignore[attr-defined]
    logink = _actor(pg, "LOGINK")
    logink.wait_for()
    text = logink.inner_text()
    assert "LOGINK has an agreement with Port of Rotterdam" in text
    assert "Zoom, China en wie de standaarden schrijft" in text and "Disputed by" in text
    assert "strength 0.256" in text
    assert pg.get_attribute("#network", "data-nodes") == "6"  # type: ignore[attr-defined]
    pg.screenshot(path=str(OUT / "explorer-rotterdam-today.png"))  # type: ignore[attr-defined]

    pg.fill("#as_of", "2020-01-01")  # type: ignore[attr-defined]
    pg.click("#run")  # type: ignore[attr-defined]
    pg.wait_for_selector("text=as of 2020-01-01")  # type: ignore[attr-defined]
    text = _actor(pg, "LOGINK").inner_text()
    assert "LOGINK has access to Rotterdam port logistics data" in text
    assert "strength 0.640" in text and "(2019–2025-11)" in text
    shared = pg.url  # type: ignore[attr-defined]
    assert "as_of=2020-01-01" in shared and "entity=rotterdam-port-logistics-data" in shared
    pg.screenshot(path=str(OUT / "explorer-rotterdam-2020.png"))  # type: ignore[attr-defined]

    # The shared link reproduces the view in a fresh page.
    again = pg.context.browser.new_page()  # type: ignore[attr-defined]
    again.goto(shared)
    _actor(again, "LOGINK").wait_for()
    assert "strength 0.640" in _actor(again, "LOGINK").inner_text()
    assert again.input_value("#as_of") == "2020-01-01"

    # Clicking a node opens its details and sources.
    pg.wait_for_timeout(1500)  # type: ignore[attr-defined]
    point = pg.evaluate(  # type: ignore[attr-defined]
        "() => state.network.canvasToDOM(state.network.getPositions(['logink']).logink)"
    )
    box = pg.locator("#network").bounding_box()  # type: ignore[attr-defined]
    pg.mouse.click(box["x"] + point["x"], box["y"] + point["y"])  # type: ignore[attr-defined]
    pg.wait_for_selector("#details h2:has-text('LOGINK')")  # type: ignore[attr-defined]
    details = pg.inner_text("#details")  # type: ignore[attr-defined]
    assert "Chinese state logistics data platform." in details
    assert "Port of Barcelona" in details
    timeline = pg.inner_text("#details ol.timeline")  # type: ignore[attr-defined]
    assert timeline.startswith("2019 · starts: LOGINK has")
    assert "2025-11 · ends: LOGINK has access to Rotterdam port logistics data" in timeline


def test_keyboard_only_search(page: object) -> None:
    pg = page
    pg.focus("#entity")  # type: ignore[attr-defined]
    pg.keyboard.type("haven")  # type: ignore[attr-defined]
    pg.wait_for_selector("#suggestions li")  # type: ignore[attr-defined]
    pg.keyboard.press("ArrowDown")  # type: ignore[attr-defined]
    pg.keyboard.press("Enter")  # type: ignore[attr-defined]
    chosen = pg.inner_text("#entity-chosen")  # type: ignore[attr-defined]
    assert chosen.startswith("selected: ")
    for label in ("entity", "mode", "as_of", "max_depth", "min_confidence"):
        assert pg.locator(f"label[for={label}]").count() == 1  # type: ignore[attr-defined]


def test_typing_before_the_styles_arrive_still_suggests_and_answers(page: object) -> None:
    """On a slow connection the page is usable at once: the styles request is held back
    while the user types, and drawing waits for it."""
    pg = page
    held: list[object] = []
    pg.route("**/ui/styles", lambda route: held.append(route))  # type: ignore[attr-defined]
    pg.reload()  # type: ignore[attr-defined]
    pg.fill("#entity", "Rotterdam")  # type: ignore[attr-defined]
    pg.click("#suggestions li:has-text('Rotterdam port logistics data')", timeout=5000)  # type: ignore[attr-defined]
    pg.click("#run")  # type: ignore[attr-defined]
    assert pg.inner_text("#status") == "Asking…"  # type: ignore[attr-defined]
    assert len(held) == 1
    held[0].continue_()  # type: ignore[attr-defined]
    _actor(pg, "LOGINK").wait_for(timeout=10000)  # type: ignore[attr-defined]
    assert pg.locator("#legend li").count() > 0  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "doc, landmark", [("/docs", "#operations-queries-reach_reach_get"), ("/redoc", "text=/reach")]
)
def test_api_docs_render_with_no_internet(
    page: object, live_server: str, doc: str, landmark: str
) -> None:
    """Swagger UI and ReDoc draw the API from local assets: every request leaving the
    machine is refused, and the page fixture fails the test on any failed request."""
    pg = page
    outside: list[str] = []

    def only_local(route: object) -> None:
        url = route.request.url  # type: ignore[attr-defined]
        if url.startswith(live_server):
            route.continue_()  # type: ignore[attr-defined]
        else:
            outside.append(url)
            route.abort()  # type: ignore[attr-defined]

    pg.route("**/*", only_local)  # type: ignore[attr-defined]
    pg.goto(live_server + doc)  # type: ignore[attr-defined]
    pg.locator(landmark).first.wait_for(timeout=15_000)  # type: ignore[attr-defined]
    OUT.mkdir(exist_ok=True)
    pg.screenshot(path=str(OUT / f"api-docs{doc.replace('/', '-')}.png"))  # type: ignore[attr-defined]
    assert outside == []


def test_an_empty_answer_explains_itself(page: object, live_server: str) -> None:
    """Nothing reaches the Chinese government in the data: the page says so instead of a
    bare 'no actor'."""
    pg = page
    pg.goto(live_server + "/?entity=cn-government&mode=reach")  # type: ignore[attr-defined]
    why = pg.locator("section.why")  # type: ignore[attr-defined]
    why.wait_for()
    text = why.inner_text()
    assert text.startswith("Why nothing was found")
    assert "records nothing through which influence reaches Government of the People" in text
    assert "null" not in pg.inner_text("#results")  # type: ignore[attr-defined]
    OUT.mkdir(exist_ok=True)
    pg.screenshot(path=str(OUT / "explorer-empty-explained.png"))  # type: ignore[attr-defined]


def test_a_misspelt_name_and_enter_answers_for_the_best_match(page: object) -> None:
    """Typing 'Hikvison' and pressing Enter, without picking a suggestion, asks about
    Hikvision."""
    pg = page
    pg.select_option("#mode", "exposure")  # type: ignore[attr-defined]
    pg.fill("#entity", "Hikvison")  # type: ignore[attr-defined]
    pg.press("#entity", "Escape")  # type: ignore[attr-defined]
    pg.press("#entity", "Enter")  # type: ignore[attr-defined]
    pg.wait_for_selector("#results h2:has-text('What Hikvision can reach')")  # type: ignore[attr-defined]
    assert pg.inner_text("#entity-chosen") == "selected: hikvision"  # type: ignore[attr-defined]
