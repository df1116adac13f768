"""The evidence map (``ekb.write_report``): the HTML it writes, and the page in a real browser.

The first half reads the generated file: self-contained, every statement escaped, the embedded
data the same as the knowledge base. The second half opens the file from disk in headless
Chromium (Debian's ``chromium`` package, driven by Playwright; no browser download) and uses it
as a reader would: click a gap-map cell, filter, search, use the keyboard, switch to English.

The browser tests skip, with the reason, when Playwright or chromium is missing; with
``EKB_REQUIRE_BROWSER=1`` (as in CI) they fail instead. Screenshots go to a temporary
directory, or to ``EKB_SCREENSHOTS`` when that is set.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

import evidence_kb as ekb
from evidence_kb.publish.report import render_report, report_data, write_report
from evidence_kb.publish.report.build import data_json

DATA_DIR = Path(__file__).parent / "data"
EVIL = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2"> & </textarea>'


# -- fixtures --------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def kb() -> ekb.KnowledgeBase:
    return ekb.load()


@pytest.fixture(scope="module")
def report(kb, tmp_path_factory) -> Path:
    return write_report(kb, tmp_path_factory.mktemp("report"))


@pytest.fixture(scope="module")
def html(report) -> str:
    return report.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def evil_kb(tmp_path_factory) -> ekb.KnowledgeBase:
    """The mini knowledge base with one finding whose statement and citation hold markup."""
    target = tmp_path_factory.mktemp("evil") / "kb"
    shutil.copytree(DATA_DIR / "mini", target)
    path = target / "findings.csv"
    with path.open(encoding="utf-8", newline="") as f:
        header = next(csv.reader(f))
    row = dict.fromkeys(header, "")
    row.update(
        finding_id="wi-006",
        review="werk-inkomen-2023",
        element="liso/synergie",
        kind="working_element",
        direction="promoting",
        statement=EVIL + "\n- een sub-bullet met <b>vet</b>",
        citation="Tosun, 2017 </script>",
        reference_keys="tosun2017",
        source="001 Tabel 1, line 90",
    )
    with path.open("a", encoding="utf-8", newline="") as f:
        csv.DictWriter(f, fieldnames=header).writerow(row)
    return ekb.load(target)


@pytest.fixture(scope="module")
def evil_report(evil_kb, tmp_path_factory) -> Path:
    return write_report(evil_kb, tmp_path_factory.mktemp("evil-report"))


def embedded_data(page_html: str) -> dict:
    match = re.search(
        r'<script type="application/json" id="ekb-data">(.*?)</script>', page_html, re.S
    )
    assert match, "the page has no embedded data"
    return json.loads(match.group(1))


class _Tags(HTMLParser):
    """Every start tag with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _tags(page_html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Tags()
    parser.feed(page_html)
    return parser.tags


# -- the HTML --------------------------------------------------------------------------------
def test_the_page_is_self_contained(html):
    tags = _tags(html)
    scripts = [attrs for tag, attrs in tags if tag == "script"]
    assert len(scripts) == 2  # the data and the code, both inline
    assert all("src" not in attrs for attrs in scripts)
    assert not [attrs for tag, attrs in tags if tag == "link"], "no external stylesheets"
    for tag, attrs in tags:
        for name in ("src", "href", "xlink:href", "data", "action"):
            value = attrs.get(name) or ""
            if tag != "a":
                assert not value.startswith(("http://", "https://", "//")), (tag, attrs)
    styles = re.findall(r"<style>(.*?)</style>", html, re.S)
    assert styles
    assert not any(re.search(r"@import|url\(\s*['\"]?(https?:)?//", s) for s in styles)
    assert "<iframe" not in html
    assert "<object" not in html


def test_every_statement_is_escaped(evil_kb, evil_report):
    page = evil_report.read_text(encoding="utf-8")
    assert EVIL not in page
    assert "<script>window.__pwned" not in page
    assert "<img src=x" not in page
    assert page.lower().count("<script") == 2
    assert page.lower().count("</script") == 2
    # in the factsheet table (rendered in Python) as escaped text
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in page
    # in the data, with < > & escaped, and back to the exact text when parsed
    assert "\\u003cscript\\u003ewindow.__pwned" in page
    finding = next(f for f in embedded_data(page)["findings"] if f["id"] == "wi-006")
    assert finding["statement"] == EVIL + "\n- een sub-bullet met <b>vet</b>"
    assert finding["citation"] == "Tosun, 2017 </script>"


def test_the_embedded_data_round_trips(kb, html):
    data = embedded_data(html)
    assert data == json.loads(json.dumps(report_data(kb)))
    statements = dict(zip(kb.findings["finding_id"], kb.findings["statement"], strict=True))
    assert {f["id"]: f["statement"] for f in data["findings"]} == statements
    assert {r["id"] for r in data["reviews"]} == set(kb.reviews["review_id"])


def test_data_json_escapes_what_could_end_the_script():
    text = data_json({"a": "</script><!-- & -->", "b": ["\u2028"]})
    assert "<" not in text
    assert ">" not in text
    assert "&" not in text
    assert json.loads(text) == {"a": "</script><!-- & -->", "b": ["\u2028"]}


def _subtree(kb, element: str) -> set[str]:
    parents = dict(zip(kb.elements["element_id"], kb.elements["parent"].fillna(""), strict=True))
    found = {element}
    changed = True
    while changed:
        changed = False
        for child, parent in parents.items():
            if parent in found and child not in found:
                found.add(child)
                changed = True
    return found


def test_gap_map_cells_hold_the_findings_of_their_element_and_review(kb, html):
    from evidence_kb import graph

    data = embedded_data(html)
    liso = data["maps"]["liso"]
    assert liso["reviews"] == ["werk-inkomen-2023", "pps-2023"]
    counts = graph.gap_map(kb, rows="element", cols="review", framework="liso")
    findings = kb.findings.fillna("")
    for row in liso["rows"]:
        subtree = _subtree(kb, row["id"])
        for review in liso["reviews"]:
            expected = findings[
                (findings["review"] == review)
                & (findings["theme"].isin(subtree) | findings["element"].isin(subtree))
            ]
            evidence = expected[expected["kind"] != "no_evidence"]
            assert liso["cells"][row["id"]][review] == sorted(expected["finding_id"]), row
            if row["depth"] == 1:  # core elements: the graph's gap map counts the same
                assert len(evidence) == counts.loc[row["id"], review]


def test_no_evidence_cells_and_unreached_levels_are_marked(kb, html):
    data = embedded_data(html)
    liso = data["maps"]["liso"]
    kinds = {f["id"]: f["kind"] for f in data["findings"]}
    no_evidence = kb.findings[kb.findings["kind"] == "no_evidence"]
    assert len(no_evidence) == 5
    for f in no_evidence.itertuples():
        assert [kinds[i] for i in liso["cells"][f.theme][f.review]] == ["no_evidence"]
    # Werk & Inkomen reports on core elements only: its theme cells are out of its reach
    assert "werk-inkomen-2023" in liso["outside"]["liso/synergie/samenwerking"]
    assert liso["outside"]["liso/synergie"] == []


def test_each_review_has_its_factsheet_prisma_and_reference_list(html):
    for review in ("werk-inkomen-2023", "pps-2023", "lo-lnw-2026", "learning-communities"):
        start = html.index(f'<article class="review" id="review-{review}"')
        article = html[start : html.index("</article>", start)]
        assert '<table class="factsheet">' in article, review
        if review != "learning-communities":  # reports no counts, and has no printed list
            assert '<svg role="img" aria-label="PRISMA-ScR' in article, review
            assert 'class="reflist"' in article, review
    assert "n = 214" in html
    assert "Gevonden publicaties" in html
    assert "Records identified" in html
    # a duplicate group: the same work printed twice in the LISO list (003 lines 26 and 56)
    assert "<code>andriessen2019</code>" in html
    assert html.count('class="badge badge-dup"') >= 50


def test_a_knowledge_base_without_sources_still_gets_a_report(tmp_path):
    path = write_report(ekb.load(DATA_DIR / "mini"), tmp_path / "out", title="Mini <kaart>")
    page = path.read_text(encoding="utf-8")
    assert path.name == "index.html"
    assert "<title>Mini &lt;kaart&gt;</title>" in page
    assert 'class="reflist"' not in page  # the mini knowledge base has no printed lists
    assert "wi-001" in page
    assert render_report(ekb.load(DATA_DIR / "mini"), title="Mini <kaart>") == page


# -- the page in a browser -------------------------------------------------------------------
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def _missing(reason: str):
    if os.environ.get("EKB_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (EKB_REQUIRE_BROWSER=1: the browser tests must run here)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("Playwright is not installed: pip install playwright (no browser download)")
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        _missing("chromium is not installed: apt-get install -y chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    folder = os.environ.get("EKB_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        return Path(folder)
    return tmp_path_factory.mktemp("screenshots")


@pytest.fixture
def open_page(browser):
    """Open a report from disk in a fresh context; no request may leave the machine."""
    contexts, errors, outside = [], [], []

    def opener(path: Path, *, width: int = 1400, height: int = 1000):
        context = browser.new_context(viewport={"width": width, "height": height})
        contexts.append(context)
        context.route(
            re.compile(r"^(?!file:|data:|about:)"),
            lambda route: (outside.append(route.request.url), route.abort()),
        )
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on(
            "dialog", lambda dialog: (errors.append(f"dialog: {dialog.message}"), dialog.dismiss())
        )
        page.goto(path.resolve().as_uri())
        page.wait_for_selector("#gap-table button.cell")
        return page

    yield opener
    for context in contexts:
        context.close()
    assert errors == [], errors
    assert outside == [], f"the page tried to fetch {outside}"


def _cell(page, row: str, review: str):
    return page.locator(f'#gap-table button.cell[data-row="{row}"][data-review="{review}"]')


def _panel_ids(page) -> list[str]:
    return page.eval_on_selector_all(
        "#panel-body article.finding", "els => els.map(e => e.dataset.fid)"
    )


def test_clicking_a_cell_shows_its_findings_and_references(kb, report, open_page, shots):
    page = open_page(report)
    f = kb.findings.fillna("")
    mine = f[(f["review"] == "pps-2023") & (f["element"] == "liso/synergie")]
    evidence = mine[mine["kind"] != "no_evidence"]
    cell = _cell(page, "liso/synergie", "pps-2023")
    assert cell.get_attribute("data-count") == str(len(evidence))
    cell.click()
    assert page.locator("#panel").is_visible()
    assert page.inner_text("#panel-title") == "Synergie"
    assert sorted(_panel_ids(page)) == sorted(evidence["finding_id"])
    # the review's "Geen relevante informatie gevonden" for Tevredenheid is shown as such
    assert "Geen relevante informatie gevonden" in page.inner_text("#panel-body .callout")
    keys = {k for cell_keys in evidence["reference_keys"] for k in cell_keys.split(";") if k}
    shown = page.eval_on_selector_all("#panel-body .apa-list li", "els => els.map(e => e.id)")
    assert sorted(shown) == sorted(f"apa-{k}" for k in keys)
    assert "Kallio, K., & Lappalainen, I. (2015)" in page.inner_text("#panel-body .apa-list")
    assert cell.get_attribute("aria-expanded") == "true"
    page.screenshot(path=shots / "01-cell-panel.png")


def test_a_direction_filter_changes_the_visible_findings(kb, report, open_page, shots):
    page = open_page(report)
    _cell(page, "liso/synergie", "pps-2023").click()
    before = set(_panel_ids(page))
    page.uncheck('#filters input[name="dir"][value="promoting"]')
    page.uncheck('#filters input[name="dir"][value="other"]')
    f = kb.findings.fillna("")
    hindering = set(f.loc[f["direction"] == "hindering", "finding_id"])
    assert set(page.evaluate("window.evidenceMap.visible()")) == hindering
    after = set(_panel_ids(page))
    assert after
    assert after < before
    assert after == {i for i in before if i in hindering}
    assert _cell(page, "liso/synergie", "pps-2023").get_attribute("data-count") == str(len(after))
    classes = page.eval_on_selector_all(
        "#findings-body article.finding", "els => els.map(e => e.className)"
    )
    assert classes
    assert all("dir-hindering" in c for c in classes)
    assert page.inner_text("#filter-count").startswith(f"{len(hindering)} van {len(f)}")
    page.screenshot(path=shots / "02-filter-hindering.png")
    page.click('#filters button[type="reset"]')
    page.wait_for_function(f"window.evidenceMap.visible().length === {len(f)}")


def test_search_and_concept_filters(report, open_page):
    page = open_page(report)
    data = page.evaluate("window.evidenceMap.data")
    page.fill("#q", "vertrouwen")
    page.wait_for_function("window.evidenceMap.state.q === 'vertrouwen'")
    shown = set(page.evaluate("window.evidenceMap.visible()"))
    by_id = {f["id"]: f for f in data["findings"]}
    assert 0 < len(shown) < len(by_id)
    for i in shown:  # the word, or the concept whose Dutch label it is
        assert "vertrouw" in by_id[i]["statement"].lower() or "trust" in by_id[i]["concepts"]
    page.fill("#q", "")
    page.select_option("#concept", "trust")
    shown = set(page.evaluate("window.evidenceMap.visible()"))
    assert shown == {i for i, f in by_id.items() if "trust" in f["concepts"]}


def test_the_keyboard_moves_through_the_map_and_opens_a_cell(report, open_page, shots):
    page = open_page(report)
    assert page.locator('#gap-table button.cell[tabindex="0"]').count() == 1
    page.focus('#gap-table button.cell[tabindex="0"]')
    for key in ("ArrowDown", "ArrowDown", "ArrowRight", "ArrowUp"):
        page.keyboard.press(key)
    data = page.evaluate("window.evidenceMap.data")
    rows, reviews = data["maps"]["liso"]["rows"], data["maps"]["liso"]["reviews"]
    focused = page.evaluate(
        "[document.activeElement.dataset.row, document.activeElement.dataset.review]"
    )
    assert focused == [rows[1]["id"], reviews[1]]
    assert page.locator('#gap-table button.cell[tabindex="0"]').count() == 1
    page.keyboard.press("Enter")
    assert page.locator("#panel").is_visible()
    assert page.evaluate("document.activeElement.id") == "panel-title"
    ids = data["maps"]["liso"]["cells"][rows[1]["id"]][reviews[1]]
    assert sorted(_panel_ids(page)) == sorted(
        i for i in ids if next(f for f in data["findings"] if f["id"] == i)["kind"] != "no_evidence"
    )
    page.screenshot(path=shots / "03-keyboard.png")
    page.keyboard.press("Escape")
    assert page.locator("#panel").is_hidden()
    assert page.evaluate("document.activeElement.dataset.row") == rows[1]["id"]
    page.keyboard.press(" ")  # Space opens it again
    assert page.locator("#panel").is_visible()


def test_switching_to_english(report, open_page, shots):
    page = open_page(report)
    page.click('.lang-switch button[data-lang="en"]')
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.inner_text('#gap-table tbody th:has-text("Synergy")')
    assert page.is_visible("text=Direction")
    assert not page.is_visible("text=Richting")
    _cell(page, "liso/synergie", "pps-2023").click()
    assert page.inner_text("#panel-title") == "Synergy"
    assert "Promoting" in page.inner_text("#panel-body")
    # the statements stay as printed, in Dutch
    assert page.get_attribute("#panel-body .statement", "lang") == "nl"
    page.screenshot(path=shots / "04-english.png", full_page=False)
    page.keyboard.press("Escape")  # the panel lies over the header
    page.click('.lang-switch button[data-lang="nl"]')
    _cell(page, "liso/synergie", "pps-2023").click()
    assert page.inner_text("#panel-title") == "Synergie"


def test_a_crosswalk_link_shows_the_findings_behind_it(report, open_page, shots):
    page = open_page(report)
    data = page.evaluate("window.evidenceMap.data")
    button = page.locator(
        "#crosswalk .crosswalk-table button.evidence-button:not([disabled])"
    ).first
    button.scroll_into_view_if_needed()
    page.screenshot(path=shots / "05-crosswalk.png")
    button.click()
    title = page.inner_text("#panel-title")
    link = next(
        link for link in data["crosswalk"] if link["findings"] and link["relation"] == "overlap"
    )
    assert sorted(_panel_ids(page)) == sorted(link["findings"]), title
    assert page.text_content("#panel-kicker").startswith("Crosswalk")


def test_an_element_opens_its_crosswalk_links_from_the_map(report, open_page):
    page = open_page(report)
    data = page.evaluate("window.evidenceMap.data")
    page.click('.fw-tab[data-fw="tno-lo"]')
    page.click('#gap-table .xw-button[data-xw="tno-lo/reflectie"]')
    links = [
        link for link in data["crosswalk"] if "tno-lo/reflectie" in (link["source"], link["target"])
    ]
    assert len(links) == 3
    assert sorted(_panel_ids(page)) == sorted({i for link in links for i in link["findings"]})
    assert page.inner_text("#panel-title") == "reflectie"
    page.keyboard.press("Escape")
    assert page.evaluate("document.activeElement.dataset.xw") == "tno-lo/reflectie"


def test_show_only_one_review(kb, report, open_page):
    page = open_page(report)
    page.click('button[data-only-review="learning-communities"]')
    state = page.evaluate(
        "({reviews: [...window.evidenceMap.state.reviews], view: window.evidenceMap.state.view})"
    )
    assert state == {"reviews": ["learning-communities"], "view": "lc"}
    lc = set(kb.findings.loc[kb.findings["review"] == "learning-communities", "finding_id"])
    assert set(page.evaluate("window.evidenceMap.visible()")) == lc
    headers = page.eval_on_selector_all(
        "#gap-table thead .rv-id", "els => els.map(e => e.textContent)"
    )
    assert headers == ["learning-communities"]


def test_markup_in_a_statement_stays_text_in_the_browser(evil_report, open_page):
    page = open_page(evil_report)
    _cell(page, "liso/synergie", "werk-inkomen-2023").click()
    card = page.locator('#panel-body article[data-fid="wi-006"]')
    assert card.locator(".statement").inner_text() == EVIL
    assert card.locator("ul.sub li").inner_text() == "een sub-bullet met <b>vet</b>"
    assert page.evaluate("window.__pwned") is None
    page.locator("#review-werk-inkomen-2023 details").first.evaluate("d => d.open = true")
    assert page.evaluate("window.__pwned") is None


def test_the_page_fits_a_phone(report, open_page, shots):
    page = open_page(report, width=390, height=844)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.evaluate("document.getElementById('filters-box').open") is False
    page.screenshot(path=shots / "06-phone.png")
    page.locator("#gapmap").scroll_into_view_if_needed()
    _cell(page, "liso/synergie", "pps-2023").click()
    box = page.locator("#panel").bounding_box()
    assert box["width"] <= 390
    page.screenshot(path=shots / "07-phone-panel.png")


def test_an_own_review_opens_in_its_language_and_filters_by_its_charting_fields(
    open_page, tmp_path
):
    own = ekb.load(Path(__file__).parent / "data" / "own_en")  # English, with charting.csv
    page = open_page(write_report(own, tmp_path))
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.evaluate("window.evidenceMap.state.lang") == "en"
    data = page.evaluate("window.evidenceMap.data")
    assert [f["name"] for f in data["charting"]][:2] == ["design", "country"]
    page.select_option('select[data-field="country"]', "Ireland")
    page.wait_for_function("Object.keys(window.evidenceMap.state.chart).length === 1")
    shown = set(page.evaluate("window.evidenceMap.visible()"))
    assert shown == {"ps-003", "ps-008"}  # the findings citing O'Donovan & McAuliffe (Ireland)
    # the gap map's cells take the filter too: Speaking up has no Irish evidence
    assert "filtered" in (_cell(page, "ps/voice", "psych-safety-2025").get_attribute("class") or "")
