"""The HTML report builder: one call per section, escaped text, embedded figures, nothing loaded from outside."""

from __future__ import annotations

import base64
import re
from html.parser import HTMLParser

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from report_helpers import external_resources  # noqa: E402

from jakstat.api import DISCLAIMER  # noqa: E402
from jakstat.errors import InvalidValueError  # noqa: E402
from jakstat.report.html import Figure, ModelSummary, Report, Text, embed_figure, png_figure  # noqa: E402
from jakstat.network.builders import build_cell_network


def _figure():
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.plot([0, 1, 2], [0, 1, 4])
    return fig


def test_adding_a_section_is_one_call_and_leaves_the_original_alone():
    base = Report("t")
    longer = base.with_text("Notes", "one")
    assert base.sections == () and [s.heading for s in longer.sections] == ["Notes"]
    assert longer.with_table("T", pd.DataFrame({"a": [1]})).sections[0] == longer.sections[0]


def test_render_has_disclaimer_title_scenario_and_escapes_text():
    text = (Report("IL-6 <loop> & more", scenario="cells\n\nsecond paragraph")
            .with_text("A & B", "x < y").render())
    assert text.startswith("<!DOCTYPE html>")
    assert text.count(DISCLAIMER) == 2  # top and footer
    assert "<title>IL-6 &lt;loop&gt; &amp; more</title>" in text
    assert "<p>cells</p><p>second paragraph</p>" in text
    assert "<h2>A &amp; B</h2><p>x &lt; y</p>" in text


def test_table_numbers_are_formatted_and_long_tables_capped():
    frame = pd.DataFrame({"name": ["a", "b", "c"], "value": [1234.5678, float("nan"), 2e-9], "n": [1, 2, 3]})
    text = Report("t").with_table("T", frame, caption="values (nM)").render()
    assert '<td class="num">1235</td>' in text and '<td class="num">2e-09</td>' in text
    assert '<td class="num"></td>' in text  # NaN shown empty
    assert '<td class="num">3</td>' in text and "<th>value</th>" in text
    from jakstat.report.html import Table

    capped = Report("t").with_section("T", Table(pd.DataFrame({"x": range(50)}), "c", max_rows=10)).render()
    assert "(first 10 of 50 rows)" in capped and capped.count("<tr>") == 11  # header + 10


def test_png_figure_round_trips_and_svg_is_inline_without_prolog():
    fig = _figure()
    png = embed_figure(fig, "png", alt="a curve")
    assert base64.b64decode(png.data).startswith(b"\x89PNG")
    svg = embed_figure(fig, "svg", caption="svg curve")
    plt.close(fig)
    assert svg.data.startswith("<svg") and "<!DOCTYPE" not in svg.data and "<?xml" not in svg.data
    text = Report("t").with_section("png", png).with_section("svg", svg).render()
    assert text.count('src="data:image/png;base64,') == 1 and "<figcaption>svg curve</figcaption>" in text
    with pytest.raises(InvalidValueError, match="not a PNG"):
        png_figure(b"GIF89a")
    with pytest.raises(InvalidValueError, match="allowed: png, svg"):
        Figure("x", "jpeg")  # type: ignore[arg-type]


def test_bad_block_names_what_is_allowed():
    with pytest.raises(InvalidValueError, match="block str not allowed; allowed: Text, Figure, Table"):
        Report("t").with_section("S", "plain string")  # type: ignore[arg-type]


def test_model_summary_counts_every_number_by_provenance(binding_network):
    # by hand: 1 compartment + 3 species + 2 parameters, all 'assumed' in the fixture
    summary = ModelSummary.of(binding_network)
    assert summary.provenance == (("assumed", 6),)
    assert (summary.n_species, summary.n_reactions, summary.n_parameters) == (3, 1, 2)
    assert any("A" in law and "C" in law for law in summary.conservation_laws)
    text = Report("t").with_model("Model", binding_network).render()
    assert '<td>assumed</td><td class="num">6</td>' in text and "3 species, 1 reactions, 2 parameters" in text


def test_report_loads_nothing_from_outside():
    fig = _figure()
    report = (Report("t").with_figure("png", fig).with_figure("svg", fig, fmt="svg")
              .with_section("text", Text("see https://example.org for more")))  # a URL as text is fine
    plt.close(fig)
    assert external_resources(report.render()) == []
    # the scan itself catches each way a page loads something
    for bad in ('<img src="https://cdn.example.org/x.png">', '<link rel="stylesheet" href="http://x/s.css">',
                '<script src="//cdn.example.org/plotly.js"></script>', "<style>body{background:url(x.png)}</style>"):
        assert external_resources(bad), bad


class _Ids(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.hrefs = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if tag == "a":
            self.hrefs.append(attrs["href"])


def test_table_of_contents_links_to_unique_section_ids():
    report = Report("t", scenario="s").with_text("Same", "1").with_text("Same", "2").with_text("Other", "3")
    parser = _Ids()
    parser.feed(report.render())
    sections = [i for i in parser.ids if i != "jakstat-errors"]
    assert len(sections) == len(set(sections)) == 4
    assert parser.hrefs == [f"#{i}" for i in sections]


def test_demo_report_is_built_on_the_report_builder(demo_out):
    text = (demo_out / "report.html").read_text()
    assert external_resources(text) == []
    # sources are quoted with their addresses as plain text; no attribute points outside the page
    assert not re.search(r"""=["']?https?://""", text.replace("http://www.w3.org/", ""))
    for heading in ("Scenario", "DPM: secretion ELISA", "DPM: gene panel", "DPM: time courses",
                    "DPM: scratch assay", "DPM: gel contraction and cell size", "DPM: fitted and predicted",
                    "Oral ruxolitinib in a virtual child",
                    "Systemic inflammation: serum IL-6 and CRP", "JDM: baricitinib and the interferon pathway",
                    "Fibroblast model", "Conservation laws"):
        assert f">{heading}</h" in text, heading
    assert text.count('src="data:image/png;base64,') == 9 and DISCLAIMER in text
    assert "IL-6 ELISA (pg/mL)" in text and "STAT4 A635V/wt, + anti-IL-6R 10 ug/mL" in text
    net = build_cell_network("fibroblast", "STAT4:A635V/wt")
    assert f"{len(net.species)} species, {len(net.reactions)} reactions" in text  # the variant fibroblast network
