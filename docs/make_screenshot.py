"""Regenerate docs/report-demo.png, the README's picture of the demo report: runs `aligncheck batch`
on the demo corpus and photographs the matrix in headless Chromium (Debian's chromium and
chromium-driver). Run from the repository root: `.venv/bin/python docs/make_screenshot.py`."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

REPO = Path(__file__).resolve().parent.parent
TARGET = REPO / "docs" / "report-demo.png"


def main() -> None:
    os.environ.setdefault("SE_OFFLINE", "true")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "demo"
        subprocess.run(
            [sys.executable, "-m", "aligncheck", "-q", "batch", "corpora/demo/manifest.toml", "-o", str(out)],
            cwd=REPO,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        options = webdriver.ChromeOptions()
        options.binary_location = "/usr/bin/chromium"
        for arg in (
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--no-first-run",
            "--hide-scrollbars",
            "--window-size=1280,1500",
            "--force-device-scale-factor=1",
            f"--user-data-dir={Path(tmp) / 'profile'}",
        ):
            options.add_argument(arg)
        driver = webdriver.Chrome(options=options, service=Service("/usr/bin/chromedriver"))
        try:
            driver.get((out / "report.html").as_uri())
            top = driver.execute_script(
                "return document.getElementById('matrix').getBoundingClientRect().top + window.scrollY - 8"
            )
            driver.execute_script("window.scrollTo(0, arguments[0])", top)
            shot = Path(tmp) / "shot.png"
            driver.save_screenshot(str(shot))
        finally:
            driver.quit()
        image = Image.open(shot).convert("RGB").crop((0, 0, 1280, 1000))
        image.quantize(colors=128, method=Image.Quantize.MEDIANCUT).save(TARGET, optimize=True)
    print(f"wrote {TARGET}")


if __name__ == "__main__":
    main()
