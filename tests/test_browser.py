"""The HTML report in a real browser: headless Chromium (Debian's chromium and chromium-driver, which
.ci/run installs) driven by Selenium. The page loads with no console error and no network request,
the matrix and evidence render, filters and search work, a reviewer's mark survives a reload and
exports as a file that `aligncheck feedback import` accepts, and hostile document text never runs.

Without Chromium these tests are skipped on a developer's machine, but fail under CI=true."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from aligncheck.cli import cli

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
DRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
HAVE_BROWSER = Path(CHROMIUM).exists() and Path(DRIVER).exists()

if not HAVE_BROWSER and os.environ.get("CI"):
    pytest.fail(
        "CI needs chromium and chromium-driver (apt-get install chromium chromium-driver)", pytrace=False
    )
pytestmark = pytest.mark.skipif(not HAVE_BROWSER, reason="chromium and chromium-driver are not installed")

webdriver = pytest.importorskip("selenium.webdriver")
By = pytest.importorskip("selenium.webdriver.common.by").By
Select = pytest.importorskip("selenium.webdriver.support.select").Select


@pytest.fixture(scope="module")
def report(hostile_batch: Path) -> Path:
    return hostile_batch / "report.html"


@pytest.fixture(scope="module")
def downloads(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory, downloads: Path):
    from selenium.webdriver.chrome.service import Service

    os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager must not look for a browser online
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1400,1000",
        f"--user-data-dir={tmp_path_factory.mktemp('profile')}",
    ):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    options.add_experimental_option(
        "prefs", {"download.default_directory": str(downloads), "download.prompt_for_download": False}
    )
    driver = webdriver.Chrome(options=options, service=Service(DRIVER))
    driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    yield driver
    driver.quit()


def open_report(browser, report: Path):
    browser.get_log("performance")  # drop what the browser did before
    browser.get(report.as_uri())
    return browser


def click(browser, element) -> None:
    """Scroll the element to the middle of the window (clear of the sticky filter bar), then click."""
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    element.click()


def visible(browser, selector: str):
    return [e for e in browser.find_elements(By.CSS_SELECTOR, selector) if e.is_displayed()]


def test_loads_without_errors_or_network(browser, report: Path) -> None:
    open_report(browser, report)
    errors = [e for e in browser.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]
    assert errors == []
    requests = [
        json.loads(e["message"])["message"]["params"]["request"]["url"]
        for e in browser.get_log("performance")
        if json.loads(e["message"])["message"]["method"] == "Network.requestWillBeSent"
    ]
    assert report.as_uri() in requests
    # Chromium's own pages (chrome:, chrome-untrusted://new-tab-page/...) may show up in the log
    # when the window opens; what counts is any fetch over a network scheme or of another file
    fetched = [u for u in requests if u.split(":", 1)[0] in ("http", "https", "ws", "wss", "ftp", "file")]
    assert fetched == [report.as_uri()] * len(fetched)
    assert browser.execute_script("return window.xss") is None


def test_matrix_and_evidence_render(browser, report: Path) -> None:
    open_report(browser, report)
    rows = visible(browser, "table.matrix tbody tr")
    assert len(rows) == 10
    cells = visible(browser, "table.matrix td.lvl")
    assert len(cells) == 20  # ten principles x two plans
    assert all(
        c.text.split()[0] in {"afwezig", "genoemd", "toegezegd", "geoperationaliseerd", "n.v.t."}
        for c in cells
    )
    # a cell links to the coverage block with its evidence
    link = cells[0].find_element(By.TAG_NAME, "a")
    target = link.get_attribute("href").split("#", 1)[1]
    link.click()
    block = browser.find_element(By.ID, target)
    assert block.is_displayed()
    assert browser.execute_script("return location.hash") == "#" + target
    quotes = visible(browser, "article.finding figure.ev blockquote")
    assert quotes and all(q.text.strip() for q in quotes)
    assert any(
        "<script>window.xss = 1</script>" in q.text
        for q in browser.find_elements(By.CSS_SELECTOR, "blockquote")
    )


def test_filters_and_search(browser, report: Path) -> None:
    open_report(browser, report)
    total = len(browser.find_elements(By.CSS_SELECTOR, "article.finding"))
    assert total > 0
    count = browser.find_element(By.ID, "f-count")
    assert count.text == f"{total} van {total} bevindingen zichtbaar"

    Select(browser.find_element(By.ID, "f-agency")).select_by_value("SVB")
    shown = visible(browser, "article.finding")
    assert all("SVB" in a.get_attribute("data-agencies").split("|") for a in shown)
    assert count.text == f"{len(shown)} van {total} bevindingen zichtbaar"
    assert all(c.get_attribute("data-agency") == "SVB" for c in visible(browser, "table.matrix td"))

    browser.find_element(By.ID, "f-reset").click()
    assert len(visible(browser, "article.finding")) == total
    kinds = {a.get_attribute("data-kind") for a in visible(browser, "article.finding")}
    box = browser.find_element(By.CSS_SELECTOR, f'.f-kind[value="{sorted(kinds)[0]}"]')
    click(browser, box)
    assert sorted(kinds)[0] not in {a.get_attribute("data-kind") for a in visible(browser, "article.finding")}

    browser.find_element(By.ID, "f-reset").click()
    Select(browser.find_element(By.ID, "f-principle")).select_by_value("passend_handhaven")
    assert all(
        a.get_attribute("data-principle") == "passend_handhaven" for a in visible(browser, "article.finding")
    )
    assert [b.get_attribute("id") for b in visible(browser, ".principle-block")] == ["p-passend_handhaven"]

    browser.find_element(By.ID, "f-reset").click()
    search = browser.find_element(By.ID, "f-search")
    search.send_keys("huisbezoek")
    shown = visible(browser, "article.finding")
    assert all("huisbezoek" in a.text.lower() for a in shown)
    evidence = visible(browser, ".cov figure.ev")
    assert evidence and all("huisbezoek" in f.text.lower() for f in evidence)
    search.clear()
    search.send_keys("woorddatnergensvoorkomt")
    assert visible(browser, "article.finding") == []
    browser.find_element(By.ID, "f-reset").click()


def test_marks_survive_reload_and_export(browser, report: Path, downloads: Path, tmp_path: Path) -> None:
    open_report(browser, report)
    browser.find_element(By.ID, "clear-marks")  # present
    browser.execute_script("localStorage.clear()")
    browser.refresh()
    finding = browser.find_elements(By.CSS_SELECTOR, "article.finding")[0]
    fid = finding.get_attribute("id")[2:]
    click(browser, finding.find_element(By.CSS_SELECTOR, 'header button.mark[data-verdict="wrong"]'))
    click(browser, finding.find_element(By.CSS_SELECTOR, 'figure.ev button.mark[data-verdict="correct"]'))
    assert browser.find_element(By.ID, "marks-count").text == "2 markering(en)"

    browser.refresh()
    finding = browser.find_element(By.ID, f"f-{fid}")
    pressed = finding.find_elements(By.CSS_SELECTOR, 'button.mark[aria-pressed="true"]')
    assert [b.get_attribute("data-verdict") for b in pressed] == ["wrong", "correct"]

    click(browser, browser.find_element(By.ID, "export-marks"))
    deadline = time.time() + 10
    files: list[Path] = []
    while time.time() < deadline and not files:
        files = [f for f in downloads.glob("aligncheck-feedback-*.json")]
        time.sleep(0.1)
    assert len(files) == 1
    data = json.loads(files[0].read_text("utf-8"))
    assert data["format"] == "aligncheck-feedback" and len(data["marks"]) == 2
    by_target = {m["target"]: m for m in data["marks"]}
    assert by_target["finding"]["finding"] == fid and by_target["finding"]["verdict"] == "wrong"
    assert by_target["evidence"]["text"] and by_target["evidence"]["passage"]

    result = CliRunner().invoke(cli, ["feedback", "import", str(files[0]), "--cache", str(tmp_path / "c")])
    assert result.exit_code == 0 and "2 new" in result.stdout

    # a second click on a pressed button takes the mark away
    finding = browser.find_element(By.ID, f"f-{fid}")
    click(browser, finding.find_element(By.CSS_SELECTOR, 'header button.mark[data-verdict="wrong"]'))
    assert browser.find_element(By.ID, "marks-count").text == "1 markering(en)"
