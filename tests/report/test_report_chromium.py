"""The demo report in a real browser: Debian's headless Chromium loads it with no errors and shows its figures.

No debugger protocol: the report's own inline scripts (see :mod:`jakstat.report.html`) collect script and
resource errors into ``#jakstat-errors`` and write the image checks into ``<body data-...>``; Chromium's
``--dump-dom`` prints the DOM after load, and ``--enable-logging=stderr`` prints console errors. A page with a
broken image and a failing script shows the check can fail. Skipped, with the reason, without Chromium
(``.ci/run`` installs it with apt-get).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import matplotlib

matplotlib.use("Agg")
import matplotlib.image  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from jakstat.report.html import Report  # noqa: E402

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "chrome")


@pytest.fixture(scope="module")
def chromium():
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    pytest.skip("headless Chromium not installed (looked for " + ", ".join(BROWSERS)
                + "); install Debian's chromium: apt-get install -y chromium (.ci/run does)")


def _run(chromium, tmp_path, page, *flags):
    command = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--mute-audio",
               "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}", "--enable-logging=stderr", "--v=0",
               "--virtual-time-budget=10000", *flags, page.as_uri()]
    done = subprocess.run(command, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout, done.stderr


def _page_state(chromium, tmp_path, page):
    dom, log = _run(chromium, tmp_path, page, "--dump-dom")
    body = re.search(r"<body([^>]*)>", dom)
    assert body, dom[:500]
    attrs = dict(re.findall(r'data-([a-z-]+)="([^"]*)"', body.group(1)))
    errors = re.findall(r'<li class="js-error">([^<]*)', dom)
    console = [line for line in log.splitlines() if "CONSOLE" in line and ("Uncaught" in line or "Error" in line)]
    return attrs, errors, console


def test_demo_report_loads_without_errors_and_shows_its_figure(chromium, demo_out, tmp_path):
    attrs, errors, console = _page_state(chromium, tmp_path, demo_out / "report.html")
    assert attrs.get("checked") == "yes", attrs  # the load check ran
    assert errors == [] and console == [] and attrs["errors"] == "0"
    assert int(attrs["images-total"]) >= 1 and attrs["images-loaded"] == attrs["images-total"]


def test_demo_report_screenshot_shows_a_page_with_figures(chromium, demo_out, tmp_path):
    shot = tmp_path / "demo_report.png"
    _run(chromium, tmp_path, demo_out / "report.html", f"--screenshot={shot}", "--window-size=1280,2000")
    pixels = matplotlib.image.imread(shot)[..., :3]
    assert pixels.shape[:2] == (2000, 1280)
    dark = (pixels.mean(axis=2) < 0.5).mean()
    coloured = (pixels.max(axis=2) - pixels.min(axis=2) > 0.3).mean()  # the plotted lines, the red disclaimer
    assert 0.005 < dark < 0.5, dark  # text and axes on a white page, not blank and not black
    assert coloured > 0.001, coloured
    keep = os.environ.get("JAKSTAT_SCREENSHOT_DIR")
    if keep:
        shutil.copy(shot, keep)


def test_a_report_with_svg_figures_renders_them(chromium, tmp_path):
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.plot(np.arange(10), np.arange(10) ** 2)
    page = Report("svg").with_figure("curve", fig, fmt="svg").with_figure("again", fig).write(tmp_path / "s.html")
    plt.close(fig)
    attrs, errors, console = _page_state(chromium, tmp_path, page)
    assert (attrs["svgs-total"], attrs["svgs-drawn"], attrs["images-loaded"]) == ("1", "1", "1")
    assert errors == [] and console == []


def test_the_check_catches_a_broken_image_and_a_script_error(chromium, demo_out, tmp_path):
    text = (demo_out / "report.html").read_text()
    broken = tmp_path / "broken.html"
    broken.write_text(text.replace("</body>", '<img src="data:image/png;base64,AAAA"><script>noSuchFunction()'
                                              "</script></body>"))
    attrs, errors, console = _page_state(chromium, tmp_path, broken)
    assert attrs["images-loaded"] == str(int(attrs["images-total"]) - 1)
    assert any("noSuchFunction" in e for e in errors) and any("noSuchFunction" in c for c in console)
    assert any("resource failed: IMG" in e for e in errors)
