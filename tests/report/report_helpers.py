"""Helpers for the report tests: what an HTML page would load from outside itself."""

from __future__ import annotations

from html.parser import HTMLParser


class _Resources(HTMLParser):
    """Every attribute that makes a browser fetch something, and every CSS ``url(``/``@import``."""

    LOADING = {"src", "href", "xlink:href", "srcset", "poster", "data", "action", "background"}

    def __init__(self):
        super().__init__()
        self.urls: list[tuple[str, str, str]] = []
        self.css: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in self.LOADING and value is not None:
                self.urls.append((tag, name, value))
        self._in_style = tag == "style"
        if tag == "link":
            self.urls.append((tag, "link", dict(attrs).get("href", "")))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.css.append(data)


def external_resources(text: str) -> list[str]:
    """What the page would load from outside itself (anything that is not ``data:`` or a ``#fragment``)."""
    parser = _Resources()
    parser.feed(text)
    bad = [f"<{tag} {name}={value!r}>" for tag, name, value in parser.urls
           if not (value.startswith("data:") or value.startswith("#"))]
    css = " ".join(parser.css).lower()
    bad += [f"css {token}" for token in ("url(", "@import") if token in css]
    return bad
