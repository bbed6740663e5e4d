"""A self-contained HTML report: sections of text, figures, tables and model summaries.

One file, readable offline: figures are embedded (base64 PNG or inline SVG), the style sheet and
the two small scripts are inline, and nothing is loaded from a URL. A :class:`Report` is frozen;
adding a section is one call that returns a new report::

    report = Report("jakstat demo", scenario="Healthy fibroblasts, IL-6 at t = 0")
    report = report.with_figure("Time courses", fig, caption="nuclear pSTAT3 (nM)")
    report = report.with_table("Readouts at 24 h", frame)
    report = report.with_model("Model", network)
    report.write("report.html")

Every report starts and ends with the research-tool disclaimer (:data:`jakstat.api.DISCLAIMER`).

The inline scripts make the rendered page checkable without a debugger protocol (headless
Chromium's ``--dump-dom``): a ``window.onerror`` collector appends one ``<li class="js-error">``
per script error to ``#jakstat-errors``, and on ``load`` the page writes into ``<body>`` the
attributes ``data-images-total``, ``data-images-loaded`` (``img.complete && naturalWidth > 0``)
and ``data-svgs-drawn`` (inline SVGs with a non-empty bounding box).
"""

from __future__ import annotations

import base64
import html
import io
import numbers
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Union

import numpy as np
import pandas as pd

from jakstat.errors import InvalidValueError

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure as MplFigure

    from jakstat.network.model import Network


@dataclass(frozen=True)
class Text:
    """Plain text; blank lines separate paragraphs. Escaped (no markup)."""

    text: str


@dataclass(frozen=True)
class Figure:
    """An embedded figure: ``kind="png"`` holds base64 PNG bytes, ``kind="svg"`` an ``<svg>`` element."""

    data: str
    kind: Literal["png", "svg"] = "png"
    alt: str = ""
    caption: str = ""

    def __post_init__(self) -> None:
        if self.kind not in ("png", "svg"):
            raise InvalidValueError(f"Figure.kind: {self.kind!r} not allowed; allowed: png, svg")


@dataclass(frozen=True, eq=False)
class Table:
    """A table from a DataFrame (the index is written only when ``index=True``); ``max_rows`` caps its length."""

    frame: pd.DataFrame
    caption: str = ""
    index: bool = False
    max_rows: int = 200
    float_format: str = "{:.4g}"


@dataclass(frozen=True)
class ModelSummary:
    """A network in numbers: sizes, how many numbers of each provenance kind, and its conservation laws."""

    name: str
    description: str
    n_species: int
    n_reactions: int
    n_parameters: int
    n_events: int
    provenance: tuple[tuple[str, int], ...]
    unverified_table_values: int
    conservation_laws: tuple[str, ...] = ()

    @classmethod
    def of(cls, net: Network, conservation: bool = True) -> ModelSummary:
        """The summary of ``net``; provenance counts from :func:`jakstat.report.model_card.provenance_counts`."""
        from jakstat.compile.conservation import conservation_laws
        from jakstat.report.model_card import provenance_counts

        counts = provenance_counts(net)
        unverified = sum(1 for x in (*net.parameters, *net.species)
                         if x.provenance.kind == "table" and not x.provenance.verified)
        laws = tuple(law.describe() for law in conservation_laws(net)) if conservation else ()
        return cls(net.name, net.description, len(net.species), len(net.reactions), len(net.parameters),
                   len(net.events), tuple(sorted(counts.items())), unverified, laws)


Block = Union[Text, Figure, Table, ModelSummary]


@dataclass(frozen=True)
class Section:
    """A heading and its blocks, shown in order."""

    heading: str
    blocks: tuple[Block, ...] = ()


@dataclass(frozen=True)
class Report:
    """A report: a title, the scenario in words, and sections. Frozen; the ``with_*`` verbs return a copy.

    Attributes
    ----------
    title : str
        The page title and top heading.
    scenario : str
        What was simulated, in words (shown first, under "Scenario"); empty to leave it out.
    sections : tuple of Section
        In order.
    notes : tuple of str
        Caveats shown with the disclaimer (e.g. "the IL-6 module is not yet calibrated").
    """

    title: str
    scenario: str = ""
    sections: tuple[Section, ...] = ()
    notes: tuple[str, ...] = field(default=())

    def with_section(self, heading: str, *blocks: Block) -> Report:
        """A copy with one more section of ``blocks``."""
        for block in blocks:
            if not isinstance(block, (Text, Figure, Table, ModelSummary)):
                raise InvalidValueError(f"section {heading!r}: block {type(block).__name__} not allowed; allowed: "
                                        "Text, Figure, Table, ModelSummary")
        return replace(self, sections=(*self.sections, Section(heading, tuple(blocks))))

    def with_text(self, heading: str, text: str) -> Report:
        """A copy with a section of plain text."""
        return self.with_section(heading, Text(text))

    def with_figure(self, heading: str, figure: MplFigure | Figure, caption: str = "", alt: str = "",
                    fmt: Literal["png", "svg"] = "png", text: str = "") -> Report:
        """A copy with a section showing ``figure`` (a matplotlib figure is embedded as PNG or SVG)."""
        fig = figure if isinstance(figure, Figure) else embed_figure(figure, fmt=fmt, alt=alt or heading,
                                                                      caption=caption)
        return self.with_section(heading, *([Text(text)] if text else []), fig)

    def with_table(self, heading: str, frame: pd.DataFrame, caption: str = "", text: str = "",
                   index: bool = False) -> Report:
        """A copy with a section holding a table of ``frame``."""
        return self.with_section(heading, *([Text(text)] if text else []), Table(frame, caption, index=index))

    def with_model(self, heading: str, net: Network | ModelSummary, text: str = "") -> Report:
        """A copy with a model summary (sizes, provenance counts, conservation laws) of ``net``."""
        summary = net if isinstance(net, ModelSummary) else ModelSummary.of(net)
        return self.with_section(heading, *([Text(text)] if text else []), summary)

    def with_note(self, note: str) -> Report:
        """A copy with one more caveat shown beside the disclaimer."""
        return replace(self, notes=(*self.notes, note))

    def render(self) -> str:
        """The whole report as one HTML document (UTF-8 text)."""
        return render(self)

    def write(self, path: str | Path) -> Path:
        """Write the report to ``path`` (parent folders are created); return the path."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.render(), encoding="utf-8")
        return path


def embed_figure(fig: MplFigure, fmt: Literal["png", "svg"] = "png", alt: str = "", caption: str = "",
                 dpi: int = 100) -> Figure:
    """Embed a matplotlib figure (PNG as base64, or SVG inline without its XML prolog)."""
    buffer = io.BytesIO()
    if fmt == "png":
        fig.savefig(buffer, format="png", dpi=dpi)
        return Figure(base64.b64encode(buffer.getvalue()).decode("ascii"), "png", alt, caption)
    if fmt == "svg":
        fig.savefig(buffer, format="svg")
        return Figure(_inline_svg(buffer.getvalue().decode("utf-8")), "svg", alt, caption)
    raise InvalidValueError(f"figure format {fmt!r} not allowed; allowed: png, svg")


def png_figure(data: bytes, alt: str = "", caption: str = "") -> Figure:
    """Embed PNG bytes (e.g. a figure file written earlier)."""
    if not data.startswith(b"\x89PNG"):
        raise InvalidValueError("png_figure: the data are not a PNG image (no PNG signature)")
    return Figure(base64.b64encode(data).decode("ascii"), "png", alt, caption)


def _inline_svg(text: str) -> str:
    """Drop the XML declaration, DOCTYPE and comments: only the ``<svg>`` element goes into the page."""
    start = text.find("<svg")
    if start < 0:
        raise InvalidValueError("SVG figure: no <svg> element in the data")
    return re.sub(r"<!--.*?-->", "", text[start:], flags=re.S)


_STYLE = """
body{font-family:system-ui,sans-serif;max-width:1150px;margin:2em auto;padding:0 1em;color:#222;line-height:1.4}
h1{font-size:1.6em} h2{border-bottom:1px solid #ddd;padding-bottom:.2em;margin-top:1.6em}
table{border-collapse:collapse;margin:.6em 0;font-size:.9em} caption{caption-side:top;text-align:left;color:#555}
td,th{border:1px solid #ccc;padding:3px 8px} td.num{text-align:right;font-variant-numeric:tabular-nums}
th{background:#f3f3f3} .disclaimer{color:#a33;font-weight:600} .note{color:#a33}
figure{margin:1em 0} figure img,figure svg{max-width:100%;height:auto} figcaption{color:#555;font-size:.9em}
code{background:#f5f5f5;padding:0 .2em} footer{margin-top:3em;color:#777;font-size:.85em}
#jakstat-errors{color:#a00} #jakstat-errors:empty{display:none}
"""

# First script in <head>: collect errors from any later script (and failed resources).
_ERROR_COLLECTOR = """
window.__jakstatErrors=[];
window.onerror=function(msg,src,line){window.__jakstatErrors.push(String(msg)+' (line '+line+')');
 var ul=document.getElementById('jakstat-errors');
 if(ul){var li=document.createElement('li');li.className='js-error';li.textContent=String(msg);ul.appendChild(li);}};
window.addEventListener('error',function(e){if(e.target&&e.target!==window&&e.target.tagName){
 window.__jakstatErrors.push('resource failed: '+e.target.tagName);
 var ul=document.getElementById('jakstat-errors');
 if(ul){var li=document.createElement('li');li.className='js-error';li.textContent='resource failed: '+e.target.tagName;ul.appendChild(li);}}},true);
"""

# Last script in <body>: after load, write into the DOM what a headless check needs.
_LOAD_CHECK = """
window.addEventListener('load',function(){
 var imgs=document.images,ok=0;for(var i=0;i<imgs.length;i++){if(imgs[i].complete&&imgs[i].naturalWidth>0)ok++;}
 var svgs=document.querySelectorAll('figure svg'),drawn=0;
 for(var j=0;j<svgs.length;j++){var b=svgs[j].getBoundingClientRect();if(b.width>0&&b.height>0)drawn++;}
 var body=document.body;body.setAttribute('data-images-total',imgs.length);body.setAttribute('data-images-loaded',ok);
 body.setAttribute('data-svgs-total',svgs.length);body.setAttribute('data-svgs-drawn',drawn);
 body.setAttribute('data-errors',window.__jakstatErrors.length);body.setAttribute('data-checked','yes');});
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _paragraphs(text: str) -> str:
    return "".join(f"<p>{_e(p.strip())}</p>" for p in re.split(r"\n\s*\n", text) if p.strip())


def _slug(text: str, used: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "section"
    slug, n = base, 2
    while slug in used:
        slug, n = f"{base}-{n}", n + 1
    used.add(slug)
    return slug


def _figure_html(fig: Figure) -> str:
    caption = f"<figcaption>{_e(fig.caption)}</figcaption>" if fig.caption else ""
    if fig.kind == "png":
        body = f'<img alt="{_e(fig.alt)}" src="data:image/png;base64,{fig.data}">'
    else:
        body = f'<div role="img" aria-label="{_e(fig.alt)}">{fig.data}</div>'
    return f"<figure>{body}{caption}</figure>"


def _table_html(table: Table) -> str:
    frame = table.frame
    shown = frame.head(table.max_rows)
    columns = ([str(n) for n in (shown.index.names if shown.index.names != [None] else ["index"])]
               if table.index else [])
    head = "".join(f"<th>{_e(c)}</th>" for c in (*columns, *map(str, shown.columns)))
    rows = []
    for key, row in zip(shown.index, shown.itertuples(index=False)):
        keys = (key if isinstance(key, tuple) else (key,)) if table.index else ()
        cells = [f"<th>{_e(k)}</th>" for k in keys]
        cells += [_cell(v, table.float_format) for v in row]
        rows.append("<tr>" + "".join(cells) + "</tr>")
    more = len(frame) - len(shown)
    caption = table.caption + (f" (first {len(shown)} of {len(frame)} rows)" if more > 0 else "")
    caption_html = f"<caption>{_e(caption)}</caption>" if caption else ""
    return f"<table>{caption_html}<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _cell(value: object, float_format: str) -> str:
    if isinstance(value, (bool, np.bool_)) or value is None:
        return f"<td>{'' if value is None else _e(value)}</td>"
    if isinstance(value, numbers.Integral):
        return f'<td class="num">{int(value)}</td>'
    if isinstance(value, numbers.Real):
        number = float(value)
        return f'<td class="num">{_e(float_format.format(number)) if number == number else ""}</td>'
    return f"<td>{_e(value)}</td>"


def _model_html(m: ModelSummary) -> str:
    counts = "".join(f'<tr><td>{_e(k)}</td><td class="num">{v}</td></tr>' for k, v in m.provenance)
    total = sum(v for _, v in m.provenance)
    laws = ("<h3>Conservation laws</h3><ul>" + "".join(f"<li>{_e(x)}</li>" for x in m.conservation_laws) + "</ul>"
            if m.conservation_laws else "")
    return (f"<p>Network <code>{_e(m.name)}</code>: {m.n_species} species, {m.n_reactions} reactions, "
            f"{m.n_parameters} parameters, {m.n_events} events.</p>{_paragraphs(m.description)}"
            f"<p>Every number of the model (parameters, initial values, volumes) by provenance; "
            f"{m.unverified_table_values} of the table values are marked not yet verified against their source.</p>"
            f'<table class="provenance"><thead><tr><th>provenance</th><th>numbers</th></tr></thead><tbody>{counts}'
            f'<tr><th>total</th><td class="num">{total}</td></tr></tbody></table>{laws}')


def _block_html(block: Block) -> str:
    if isinstance(block, Text):
        return _paragraphs(block.text)
    if isinstance(block, Figure):
        return _figure_html(block)
    if isinstance(block, Table):
        return _table_html(block)
    return _model_html(block)


def render(report: Report, disclaimer: str | None = None, meta: Mapping[str, str] | None = None) -> str:
    """Render ``report`` to one self-contained HTML document."""
    from jakstat import __version__
    from jakstat.api import DISCLAIMER

    disclaimer = DISCLAIMER if disclaimer is None else disclaimer
    used: set[str] = set()
    parts, toc = [], []
    if report.scenario:
        slug = _slug("scenario", used)
        toc.append((slug, "Scenario"))
        parts.append(f'<section id="{slug}"><h2>Scenario</h2>{_paragraphs(report.scenario)}</section>')
    for section in report.sections:
        slug = _slug(section.heading, used)
        toc.append((slug, section.heading))
        parts.append(f'<section id="{slug}"><h2>{_e(section.heading)}</h2>'
                     + "".join(_block_html(b) for b in section.blocks) + "</section>")
    nav = ("<nav><ol>" + "".join(f'<li><a href="#{s}">{_e(h)}</a></li>' for s, h in toc) + "</ol></nav>"
           if len(toc) > 2 else "")
    notes = "".join(f'<p class="note">{_e(n)}</p>' for n in report.notes)
    extra = "".join(f'<meta name="{_e(k)}" content="{_e(v)}">' for k, v in (meta or {}).items())
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta name="generator" content="jakstat {_e(__version__)}">{extra}'
            f"<title>{_e(report.title)}</title><script>{_ERROR_COLLECTOR}</script><style>{_STYLE}</style></head>\n"
            f'<body><ul id="jakstat-errors"></ul><h1>{_e(report.title)}</h1>'
            f'<p class="disclaimer">{_e(disclaimer)}</p>{notes}{nav}\n' + "\n".join(parts)
            + f'\n<footer>Generated by jakstat {_e(__version__)}. {_e(disclaimer)}</footer>'
            f"<script>{_LOAD_CHECK}</script></body></html>\n")
