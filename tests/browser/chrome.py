"""Headless Chromium driven over its DevTools protocol on a pipe, for the layout tests.

Why a pipe and no driver library: ``--remote-debugging-pipe`` makes Chromium read protocol
commands from file descriptor 3 and answer on 4, as NUL-terminated JSON. That needs no
WebSocket package, no Playwright driver (whose browser download is not allowed here) and no
chromedriver of a matching version: only the Debian ``chromium`` package, which the test
command installs when it is missing. The few calls the tests need (set a window size, open a
file, read a figure, print to PDF, take a screenshot) are plain protocol methods.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

INSTALL_HINT = "Chromium is missing: install it with `apt-get install -y chromium` (Debian/Ubuntu)"

FLAGS = (
    "--headless",
    "--no-sandbox",  # the tests run as root in CI
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--hide-scrollbars",  # a phone has none: the layout width is the window's width
    "--remote-debugging-pipe",
)

A4_POINTS = (594.96, 841.92)
"""An A4 page in PDF points, as Chromium writes its media box (210 x 297 mm, rounded to px)."""


def chromium_path() -> str | None:
    """The Chromium binary: ``$CHROMIUM``, else the first of the usual names on ``PATH``."""
    if os.environ.get("CHROMIUM"):
        return os.environ["CHROMIUM"]
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        if found := shutil.which(name):
            return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


class Chrome:
    """One headless Chromium with one tab; ``with Chrome() as chrome: chrome.open(path)``."""

    def __init__(self, binary: str, timeout: float = 30.0) -> None:
        self.timeout = timeout
        self._profile = tempfile.TemporaryDirectory(prefix="unsilo-chrome-")
        to_chrome_r, self._to_chrome = os.pipe()
        self._from_chrome, from_chrome_w = os.pipe()

        def wire_pipes() -> None:  # in the child: the protocol's fixed descriptors 3 and 4
            reading, writing = os.dup(to_chrome_r), os.dup(from_chrome_w)  # above 3 and 4
            os.dup2(reading, 3)
            os.dup2(writing, 4)

        self.process = subprocess.Popen(
            [binary, *FLAGS, f"--user-data-dir={self._profile.name}", "about:blank"],
            preexec_fn=wire_pipes,  # noqa: PLW1509 - the test process starts no threads here
            pass_fds=(3, 4),  # kept open through exec; the rest are closed
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self._buffer = b""
        self._next_id = 0
        target = self._call("Target.createTarget", url="about:blank")["targetId"]
        attached = self._call("Target.attachToTarget", targetId=target, flatten=True)
        self._session = attached["sessionId"]

    def __enter__(self) -> Chrome:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        with contextlib.suppress(OSError, RuntimeError, TimeoutError):
            self._call("Browser.close")
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        for fd in (self._to_chrome, self._from_chrome):
            with contextlib.suppress(OSError):
                os.close(fd)
        self._profile.cleanup()

    def _call(self, method: str, session: str | None = None, **params: Any) -> dict:
        """Send one command and wait for its answer (events on the way are dropped)."""
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self._to_chrome, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + self.timeout
        while True:
            while b"\0" not in self._buffer:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"Chromium did not answer {method}")
                chunk = os.read(self._from_chrome, 1 << 20)
                if not chunk:
                    raise RuntimeError(f"Chromium closed the pipe during {method}")
                self._buffer += chunk
            raw, self._buffer = self._buffer.split(b"\0", 1)
            answer = json.loads(raw)
            if answer.get("id") == self._next_id:
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error']}")
                return answer.get("result", {})

    def page(self, method: str, **params: Any) -> dict:
        """A command to the tab."""
        return self._call(method, session=self._session, **params)

    def open(self, path: Path, width: int, height: int = 800, mobile: bool = False) -> None:
        """Show ``path`` in a window ``width`` CSS pixels wide and wait until it has loaded."""
        self.page(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=mobile,
        )
        self.page("Page.navigate", url=path.resolve().as_uri())
        deadline = time.monotonic() + self.timeout
        while self.evaluate("document.readyState") != "complete":
            if time.monotonic() > deadline:
                raise TimeoutError(f"{path} did not finish loading")
            time.sleep(0.05)

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the tab."""
        result = self.page("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def print_pdf(self) -> bytes:
        """The tab printed as ``--print-to-pdf`` prints it: the CSS page size, no header or
        footer, backgrounds only where the page's CSS asks for them."""
        result = self.page(
            "Page.printToPDF",
            preferCSSPageSize=True,
            displayHeaderFooter=False,
            printBackground=False,
        )
        return base64.b64decode(result["data"])

    def screenshot(self, full_page: bool = True) -> bytes:
        """A PNG of the tab (the whole document when ``full_page``)."""
        result = self.page("Page.captureScreenshot", format="png", captureBeyondViewport=full_page)
        return base64.b64decode(result["data"])


def pdf_pages(pdf: bytes) -> list[tuple[float, float]]:
    """Each page's size in points, read from the page objects' media boxes.

    Chromium writes object dictionaries uncompressed (only content streams are compressed),
    so splitting the file at ``endobj`` and looking for ``/Type /Page`` finds every page.
    """
    sizes = []
    for obj in pdf.split(b"endobj"):
        head = obj.split(b"stream", 1)[0]
        if not re.search(rb"/Type\s*/Page\b(?!s)", head):
            continue
        box = re.search(rb"/MediaBox\s*\[\s*([-\d.\s]+)\]", head)
        x0, y0, x1, y1 = (float(v) for v in box.group(1).split()) if box else (0, 0, 0, 0)
        sizes.append((round(x1 - x0, 2), round(y1 - y0, 2)))
    return sizes
