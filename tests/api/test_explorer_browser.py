"""The web explorer in a real headless Chromium (Debian's), driven by Playwright."""

from __future__ import annotations

import os
import re
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
        # Let the start-up requests (styles, schema) finish: a test's next navigation would
        # abort them, which reads as a failed request.
        pg.wait_for_load_state("networkidle")
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


def test_a_late_suggestion_does_not_reopen_over_the_page(page: object) -> None:
    """A name lookup answered after the user moved on (Escape, then another field) must not
    open its list over the page; Escape before the lookup starts cancels it."""
    pg = page
    held: list[object] = []
    pg.route(re.compile(r".*/entities\?.*"), lambda route: held.append(route))  # type: ignore[attr-defined]
    pg.fill("#entity", "Rotterdam")  # type: ignore[attr-defined]
    pg.press("#entity", "Escape")  # type: ignore[attr-defined]
    pg.wait_for_timeout(400)  # type: ignore[attr-defined]  # past the pause before asking
    assert held == []  # cancelled before it was sent
    pg.fill("#entity", "Rotterdam port")  # type: ignore[attr-defined]
    pg.wait_for_timeout(400)  # type: ignore[attr-defined]
    assert len(held) == 1  # this one is on its way
    pg.press("#entity", "Escape")  # type: ignore[attr-defined]
    pg.focus("#as_of")  # type: ignore[attr-defined]
    held[0].continue_()  # type: ignore[attr-defined]
    pg.wait_for_timeout(500)  # type: ignore[attr-defined]
    assert pg.is_hidden("#suggestions")  # type: ignore[attr-defined]


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


def test_asset_view_tab_groups_facts_and_draws_them(page: object) -> None:
    """'Everything around it' on a port: the groups by role, each fact with its sources,
    the owners of its terminals drawn beside it, and whole names on the nodes."""
    pg = page
    pg.select_option("#mode", "asset")  # type: ignore[attr-defined]
    pg.fill("#entity", "Port of Rotterdam")  # type: ignore[attr-defined]
    pg.press("#entity", "Escape")  # type: ignore[attr-defined]
    pg.press("#entity", "Enter")  # type: ignore[attr-defined]
    pg.wait_for_selector("#results h2:has-text('Around Port of Rotterdam')")  # type: ignore[attr-defined]
    roles = pg.eval_on_selector_all(  # type: ignore[attr-defined]
        "section.group", "els => els.map(e => e.dataset.role)"
    )
    assert roles[0] == "ownership" and "agreements" in roles and "data" in roles
    owners = pg.inner_text("section.group[data-role=ownership]")  # type: ignore[attr-defined]
    assert "via Rotterdam container terminals with Chinese or Hong Kong shareholders" in owners
    assert "Source: Zoom, China en wie de standaarden schrijft" in owners
    labels = pg.evaluate(  # type: ignore[attr-defined]
        "() => state.network.body.data.nodes.get().map(n => n.label)"
    )
    long = "Rotterdam container terminals with Chinese or Hong Kong shareholders"
    assert long in labels, "labels are whole names, wrapped, not cut"
    assert "Click a node" in pg.inner_text("#details")  # type: ignore[attr-defined]
    OUT.mkdir(exist_ok=True)
    pg.screenshot(path=str(OUT / "explorer-asset-rotterdam.png"))  # type: ignore[attr-defined]


def test_known_by_types_dates_and_legend(page: object, live_server: str) -> None:
    """Known-by and a type filter reach the answer; dates are ISO text; the legend names
    every encoding; strength is explained in one sentence."""
    pg = page
    assert pg.get_attribute("#as_of", "type") == "text"  # type: ignore[attr-defined]
    assert pg.get_attribute("#as_of", "placeholder") == "today"  # type: ignore[attr-defined]
    legend = pg.inner_text("#legend")  # type: ignore[attr-defined]
    for words in ("thicker = stronger", "reported or alleged", "disputed", "not in force"):
        assert words in legend
    colours = pg.evaluate("() => state.styles")  # type: ignore[attr-defined]
    assert colours["Port"]["color"] != colours["Terminal"]["color"]
    pg.goto(live_server + "/?entity=rotterdam-port-logistics-data&mode=reach&as_of=2020-01-01")  # type: ignore[attr-defined]
    _actor(pg, "LOGINK").wait_for()
    assert "Strength multiplies" in pg.inner_text("#results")  # type: ignore[attr-defined]
    everyone = pg.locator("article.actor").count()  # type: ignore[attr-defined]
    pg.select_option("#types", ["OWNS", "HOLDS_STAKE_IN", "HAS_ACCESS_TO"])  # type: ignore[attr-defined]
    pg.click("#run")  # type: ignore[attr-defined]
    pg.wait_for_function(  # type: ignore[attr-defined]
        "n => document.querySelectorAll('article.actor').length < n", arg=everyone
    )
    assert "types=OWNS" in pg.url  # type: ignore[attr-defined]
    pg.select_option("#types", [])  # type: ignore[attr-defined]
    pg.fill("#known_by", "2021-01-01")  # type: ignore[attr-defined]
    pg.click("#run")  # type: ignore[attr-defined]
    pg.wait_for_selector("#results h2:has-text('known by 2021-01-01')")  # type: ignore[attr-defined]


def test_cite_and_export_buttons_make_files(page: object) -> None:
    """After an answer, the cite and export buttons fetch the same query as Markdown, an
    HTML page and a PNG picture."""
    pg = page
    pg.fill("#entity", "Fedasil")  # type: ignore[attr-defined]
    pg.press("#entity", "Escape")  # type: ignore[attr-defined]
    pg.select_option("#mode", "paths")  # type: ignore[attr-defined]
    pg.fill("#entity", "Government of the People's Republic of China")  # type: ignore[attr-defined]
    pg.press("#entity", "Escape")  # type: ignore[attr-defined]
    pg.fill("#target", "Fedasil")  # type: ignore[attr-defined]
    pg.click("#run")  # type: ignore[attr-defined]
    pg.wait_for_selector("#actions:not([hidden])")  # type: ignore[attr-defined]
    with pg.expect_download() as got:  # type: ignore[attr-defined]
        pg.click("#actions button[data-cite=md]")  # type: ignore[attr-defined]
    text = Path(got.value.path()).read_text(encoding="utf-8")
    assert text.startswith("# Strongest paths from Government of the People")
    assert "[^1]:" in text and "Permalink:" in text
    with pg.expect_download() as got:  # type: ignore[attr-defined]
        pg.click("#actions button[data-export=png]")  # type: ignore[attr-defined]
    assert Path(got.value.path()).read_bytes().startswith(b"\x89PNG")
    with pg.expect_popup() as popup:  # type: ignore[attr-defined]
        pg.click("#actions button[data-cite=html]")  # type: ignore[attr-defined]
    cited = popup.value
    cited.wait_for_selector("ol.gk-footnotes li")
    OUT.mkdir(exist_ok=True)
    cited.screenshot(path=str(OUT / "explorer-cite-page.png"), full_page=True)


def test_owners_and_diff_views(page: object, live_server: str) -> None:
    pg = page
    pg.goto(live_server + "/?entity=rotterdam-terminals-cn-hk-shareholders&mode=owners")  # type: ignore[attr-defined]
    pg.wait_for_selector("#results h2:has-text('Who owns Rotterdam container')")  # type: ignore[attr-defined]
    text = pg.inner_text("#results")  # type: ignore[attr-defined]
    assert "state bodies and party organisations" in text
    # A stake of unknown size is listed with its source, outside the arithmetic.
    assert "Stakes of unknown size" in text
    assert "Chinese or Hong Kong shareholders of Rotterdam terminals hold a stake" in text
    pg.goto(  # type: ignore[attr-defined]
        live_server
        + "/?entity=rotterdam-port-logistics-data&mode=diff&from_date=2020-01-01&as_of=2026-11-22"
    )
    pg.wait_for_selector("#results h2:has-text('What changed for')")  # type: ignore[attr-defined]
    assert "LOGINK: " in pg.inner_text("#results")  # type: ignore[attr-defined]
    assert pg.is_hidden("#actions")  # type: ignore[attr-defined]


def test_a_server_that_needs_keys_gets_one_from_the_page(seed_engine: object) -> None:
    """With read keys required the page asks for a key, then answers with it."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed")
    from playwright.sync_api import sync_playwright

    from api.app import create_app
    from tests.api.conftest import serving

    settings = seed_engine.settings.model_copy(  # type: ignore[attr-defined]
        update={"api_keys": ["reader-key"], "read_keys_required": True}
    )
    with serving(create_app(settings, engine=seed_engine)) as url, sync_playwright() as pw:  # type: ignore[arg-type]
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox"])
        pg = browser.new_page()
        pg.goto(url + "/")
        pg.fill("#entity", "logink")
        pg.press("#entity", "Escape")
        pg.click("#run")
        pg.wait_for_selector("#key-field:not([hidden])")
        assert "API key" in pg.inner_text("#status")
        pg.fill("#api_key", "reader-key")
        pg.click("#run")
        pg.wait_for_selector("#results h2:has-text('Who can reach LOGINK')")
        browser.close()


def test_choosing_a_profile_reranks_and_names_it(page: object, live_server: str) -> None:
    pg = page
    pg.goto(live_server + "/?entity=rotterdam-port-logistics-data&mode=reach")  # type: ignore[attr-defined]
    first = pg.locator("article.actor h3").first  # type: ignore[attr-defined]
    first.wait_for()
    assert "LOGINK" in first.inner_text()
    pg.select_option("#profile", "sceptic")  # type: ignore[attr-defined]
    assert "agreements" in pg.inner_text("#profile-hint")  # type: ignore[attr-defined]
    pg.click("#run")  # type: ignore[attr-defined]
    pg.wait_for_selector("#results h2:has-text('profile sceptic')")  # type: ignore[attr-defined]
    assert "Chinese or Hong Kong shareholders" in first.inner_text()
    assert "profile=sceptic" in pg.url  # type: ignore[attr-defined]


def test_a_path_shape_narrows_the_answer_and_a_bad_one_says_where(
    page: object, live_server: str
) -> None:
    pg = page
    pg.goto(live_server + "/?entity=hikvision-camera-data&mode=reach")  # type: ignore[attr-defined]
    _actor(pg, "Hikvision").wait_for()
    everyone = pg.locator("article.actor").count()  # type: ignore[attr-defined]
    pg.fill(  # type: ignore[attr-defined]
        "#pattern",
        "(StateBody|PartyOrganisation) -[CONTROLS|MEMBER_OF|HOLDS_POSITION]->+ () "
        "-[HAS_ACCESS_TO]-> (DataAsset)",
    )
    pg.click("#run")  # type: ignore[attr-defined]
    pg.wait_for_function(  # type: ignore[attr-defined]
        "n => document.querySelectorAll('article.actor').length < n", arg=everyone
    )
    names = pg.inner_text("#results")  # type: ignore[attr-defined]
    assert "Chinese Communist Party" in names and "pattern=" in pg.url  # type: ignore[attr-defined]
    pg.fill("#pattern", "(StateBody) -[OWNZ]-> ()")  # type: ignore[attr-defined]
    pg.click("#run")  # type: ignore[attr-defined]
    pg.wait_for_selector("#status:has-text('column 15')")  # type: ignore[attr-defined]
