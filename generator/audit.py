"""The audit: the last look at a freshly built site before it replaces the live one.

MkDocs and the theme write HTML that no editor sees, so the build reads every page it made
and refuses to publish markup that could run script from content. Problems name the built
page and the line and column of the offending markup, in the one format of `errors`.
"""

from __future__ import annotations

import html.parser
from pathlib import Path

from generator.errors import Problem

_URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href", "poster"})


def audit_site(site_dir: Path) -> list[Problem]:
    """Every problem in every HTML page under `site_dir`, paths relative to it."""
    problems: list[Problem] = []
    for page in sorted(site_dir.rglob("*.html")):
        relative = page.relative_to(site_dir).as_posix()
        problems.extend(audit_page(relative, page.read_text(encoding="utf-8")))
    return problems


def audit_page(name: str, markup: str) -> list[Problem]:
    """Problems in one page's markup (`name` is how messages refer to the page)."""
    auditor = _PageAuditor(name)
    auditor.feed(markup)
    auditor.close()
    return auditor.problems


class _PageAuditor(html.parser.HTMLParser):
    def __init__(self, name: str):
        super().__init__(convert_charrefs=True)
        self.name = name
        self.problems: list[Problem] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line, column = self.getpos()
        for attribute, value in attrs:
            if attribute.startswith("on"):
                self._flag(line, column, f"<{tag}> has an event-handler attribute "
                           f"{attribute}=", "remove it; scripts belong in a file of their own",
                           "inline-handler")
            elif attribute in _URL_ATTRIBUTES and value is not None and _is_script_url(value):
                self._flag(line, column, f"<{tag} {attribute}> is a script URL ({value[:40]!r})",
                           "link to a page or file instead", "script-url")

    handle_startendtag = handle_starttag

    def _flag(self, line: int, column: int, message: str, hint: str, code: str) -> None:
        self.problems.append(Problem(self.name, line, column + 1, message, hint, code))


def _is_script_url(value: str) -> bool:
    scheme = "".join(ch for ch in value if not ch.isspace() and ord(ch) > 0x1F).lower()
    return scheme.startswith(("javascript:", "vbscript:", "data:text/html"))
