"""Screenshots of the main pages at a laptop's and a phone's width, for the README
(`make screenshots`): a fresh demo site in a temporary data directory, served on a free
port, photographed by Debian's Chromium through Playwright."""

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
BIN = Path(sys.executable).parent
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]  # fmt: skip
WIDTHS = {"laptop": (1366, 860), "phone": (390, 844)}
SEED = "/clusters/cluster-do-audiovisual-galego"
PAGES = {
    "home": "/",
    "directory": "/clusters/?q=automotive",
    "profile": f"{SEED}/",
    "partners": f"{SEED}/partners/",
    "network": "/network/",
    "map": "/map/",
    "statistics": "/statistics/",
    "events": "/events/",
    "opportunities": "/opportunities/",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as data:
        env = {**os.environ, "CLUSTERHUB_DATA_DIR": data}
        env.pop("DATABASE_URL", None)
        run = lambda *a: subprocess.run([BIN / "clusterhub", *a], env=env, check=True)  # noqa: E731
        run("migrate", "--noinput", "-v0")
        run("demo", "--profiles", "300", "--seed", "1", "-v0")
        port = free_port()
        server = subprocess.Popen(
            [BIN / "clusterhub", "serve", "--host", "127.0.0.1", "--port", str(port)], env=env
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(100):
                try:
                    urllib.request.urlopen(base + "/", timeout=2)
                    break
                except OSError:
                    time.sleep(0.2)
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
                for width, (w, h) in WIDTHS.items():
                    page = browser.new_page(viewport={"width": w, "height": h})
                    for name, url in PAGES.items():
                        page.goto(base + url)
                        page.wait_for_load_state("networkidle")
                        path = OUT / f"{name}-{width}.jpg"
                        page.screenshot(path=path, type="jpeg", quality=72)
                        print(path.relative_to(ROOT))
                    page.close()
                browser.close()
        finally:
            server.terminate()
            server.wait()


if __name__ == "__main__":
    main()
