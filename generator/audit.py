"""The audit: the last look at a freshly built site before it replaces the live one.

MkDocs and the theme write HTML that no editor sees, so the build reads every page it made
and refuses to publish markup that could run script from content or that the page's
Content-Security-Policy would block: inline scripts that are not on the theme's pinned
allowlist (`theme`), event-handler and `style` attributes, `<style>` elements, script URLs,
files loaded from other hosts, and data blocks whose content could end the block early.
Each page must also start its `<head>` with the site's policy. Problems name the built
page, the line and column of the offending markup and the markup itself, in the one format
of `errors`.
"""

from __future__ import annotations

import html.parser
import json
import re
from importlib import metadata
from pathlib import Path

from generator.errors import Problem
from generator.policy import DATA_SCRIPT_TYPES, content_security_policy
from generator.theme import THEME, THEME_VERSION, allowed_scripts, script_hash

POLICY_FILE = "generator/theme.py"
_URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href", "poster",
                             "data", "background", "ping", "cite", "codebase", "longdesc"})
# Attributes that make the browser fetch something as the page loads (links may leave).
_LOADS = {"script": "src", "img": "src", "iframe": "src", "frame": "src", "embed": "src",
          "source": "src", "track": "src", "audio": "src", "video": "src", "object": "data",
          "input": "src"}
_LOADING_LINKS = frozenset({"stylesheet", "icon", "preload", "modulepreload", "prefetch",
                            "preconnect", "dns-prefetch", "manifest", "apple-touch-icon"})
_CODE_TYPES = frozenset({"", "module", "text/javascript", "application/javascript",
                         "application/ecmascript", "text/ecmascript"})
# Inside a data block, these switch the HTML parser into states where it no longer ends the
# block where the JSON ends.
_BREAKOUT = re.compile(r"<!--|<script|</script", re.IGNORECASE)
_UPDATE_HINT = (f"if a theme upgrade changed it, read the new script and update {POLICY_FILE}; "
                "otherwise move the script to a file under overrides/assets/javascripts/")


def audit_site(site_dir: Path, scope: str, *, preview: bool = False,
               pages: list[str] | None = None) -> list[Problem]:
    """Every problem in every HTML page under `site_dir`, paths relative to it.

    `scope` is the path the site is served under; the policy and the theme's storage script
    both contain it. `preview` holds a `serve` build to the preview policy instead, and
    `pages` (paths relative to `site_dir`) limits the audit to the pages a save changed: the
    others passed it when they were published. Whether every allowlisted theme script is
    still in use can only be told from every page, so that check needs the whole site.
    """
    problems = _theme_problems()
    allowed = allowed_scripts(scope)
    used: set[str] = set()
    paths = sorted(site_dir.rglob("*.html")) if pages is None else [
        site_dir / page for page in pages]
    for page in paths:
        relative = page.relative_to(site_dir).as_posix()
        problems.extend(audit_page(relative, page.read_text(encoding="utf-8"), scope,
                                   used_scripts=used, preview=preview))
    if pages is not None:
        return problems
    for source, name in allowed.items():
        if source not in used:
            problems.append(Problem(
                POLICY_FILE, 1, 1, f"the allowlisted theme script '{name}' is on no page: the "
                f"theme changed it or stopped using it", f"read the theme's inline scripts in "
                f"the built pages and update {POLICY_FILE}", "theme-changed"))
    return problems


def audit_page(name: str, markup: str, scope: str, *,
               used_scripts: set[str] | None = None, preview: bool = False) -> list[Problem]:
    """Problems in one page's markup (`name` is how messages refer to the page)."""
    auditor = _PageAuditor(name, scope, preview=preview)
    auditor.feed(markup)
    auditor.close()
    auditor.finish()
    if used_scripts is not None:
        used_scripts.update(auditor.used_scripts)
    return auditor.problems


def _theme_problems() -> list[Problem]:
    try:
        installed = metadata.version(THEME)
    except metadata.PackageNotFoundError:  # pragma: no cover - the build needs the theme
        return []
    if installed == THEME_VERSION:
        return []
    return [Problem(POLICY_FILE, 1, 1,
                    f"the theme is {THEME} {installed}, but its inline scripts were checked "
                    f"for {THEME_VERSION}", f"read the theme's inline scripts in the built pages, "
                    f"then update THEME_SCRIPTS and THEME_VERSION in {POLICY_FILE}",
                    "theme-changed")]


class _PageAuditor(html.parser.HTMLParser):
    def __init__(self, name: str, scope: str, *, preview: bool = False):
        super().__init__(convert_charrefs=True)
        self.name = name
        self.policy = content_security_policy(scope, preview=preview)
        self.allowed = allowed_scripts(scope)
        self.used_scripts: set[str] = set()
        self.problems: list[Problem] = []
        self.in_head = False
        self.head_seen = False
        self.policy_first = False
        self.script: tuple[int, int, str, dict[str, str | None]] | None = None
        self.script_text: list[str] = []
        self.ids: dict[str, int] = {}  # element id -> line where it first appears
        self.labels: list[tuple[int, int, str, str]] = []  # label for= targets, checked at the end

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line, column = self.getpos()
        markup = _shorten(self.get_starttag_text() or f"<{tag}>")
        values = dict(attrs)
        if self.in_head and not self.policy_first and not self.head_seen:
            self.policy_first = (
                tag == "meta"
                and (values.get("http-equiv") or "").lower() == "content-security-policy"
                and values.get("content") == self.policy)
            self.head_seen = True
        if tag == "head":
            self.in_head = True
        element_id = values.get("id")
        if element_id is not None and element_id in self.ids:
            self._flag(line, column, f"{markup} repeats the id {element_id[:40]!r} (first on "
                       f"line {self.ids[element_id]}): links and labels reach only the first",
                       "give one of them another id", "duplicate-element-id")
        elif element_id is not None:
            self.ids[element_id] = line
        if tag == "label" and values.get("for"):
            self.labels.append((line, column, markup, values["for"]))
        for attribute, value in attrs:
            if attribute.startswith("on"):
                self._flag(line, column, f"{markup} has an event-handler attribute "
                           f"{attribute}=", "remove it; scripts belong in a file of their own",
                           "inline-handler")
            elif attribute == "style":
                self._flag(line, column, f"{markup} has a style attribute, which the page's "
                           "Content-Security-Policy blocks",
                           "give it a class and style it in overrides/assets/stylesheets/site.css",
                           "inline-style")
            elif attribute in _URL_ATTRIBUTES and value is not None and _is_script_url(value):
                self._flag(line, column, f"{markup} has a script URL in {attribute}= "
                           f"({value[:40]!r})", "link to a page or file instead", "script-url")
        loaded = _LOADS.get(tag)
        if tag == "link" and _LOADING_LINKS & set((values.get("rel") or "").lower().split()):
            loaded = "href"
        if loaded and _is_other_host(values.get(loaded) or ""):
            self._flag(line, column, f"{markup} loads something from another host",
                       "keep every file the page needs in the site itself", "external-resource")
        if tag == "style":
            self._flag(line, column, f"{markup} is a <style> element, which the page's "
                       "Content-Security-Policy blocks",
                       "move the rules to overrides/assets/stylesheets/site.css", "inline-style")
        if tag == "script":
            self.script = (line, column, markup, values)
            self.script_text = []

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag == "script":
            self.handle_endtag(tag)

    def handle_data(self, data: str) -> None:
        if self.script is not None:
            self.script_text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "head":
            self.in_head = False
        if tag != "script" or self.script is None:
            return
        line, column, markup, values = self.script
        text = "".join(self.script_text)
        self.script = None
        kind = (values.get("type") or "").strip().lower()
        if kind in DATA_SCRIPT_TYPES:
            self._check_data_block(line, column, markup, text)
        elif values.get("src") is not None:
            if text.strip():
                self._flag(line, column, f"{markup} has both a src and inline code",
                           "keep the code in the file the src names", "inline-script")
        elif kind in _CODE_TYPES:
            source = script_hash(text)
            if source in self.allowed:
                self.used_scripts.add(source)
            else:
                self._flag(line, column, f"{markup} runs inline code that is not on the "
                           f"theme's allowlist: {_shorten(text)!r}", _UPDATE_HINT,
                           "inline-script")
        else:
            self._flag(line, column, f"{markup} has a script type the site does not use",
                       "use a file under overrides/assets/javascripts/ for code, or "
                       "type=\"application/json\" for data", "inline-script")

    def _check_data_block(self, line: int, column: int, markup: str, text: str) -> None:
        broken = _BREAKOUT.search(text)
        if broken:
            reason = f"contains {broken.group(0)!r}"
        else:
            try:
                json.loads(text)
                return
            except ValueError:
                reason = "is not valid JSON, so something ended the block early"
        self._flag(line, column, f"the data block {markup} {reason}",
                   "write the block with generator.render.json_block, which escapes < > &",
                   "data-block")

    def finish(self) -> None:
        for line, column, markup, target in self.labels:
            if target not in self.ids:
                self._flag(line, column, f"{markup} labels {target[:40]!r}, which is not on "
                           "the page", "point it at a control on the page, or remove it",
                           "label-without-control")
        if not self.policy_first:
            self._flag(1, 0, "the page does not start its <head> with the site's "
                       "Content-Security-Policy <meta>", "extend base.html through "
                       "overrides/main.html, which puts the policy first", "csp-missing")

    def _flag(self, line: int, column: int, message: str, hint: str, code: str) -> None:
        self.problems.append(Problem(self.name, line, column + 1, message, hint, code))


def _shorten(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _is_other_host(value: str) -> bool:
    """Absolute and protocol-relative addresses; the site's own files are always relative."""
    return re.match(r"\s*([a-z][a-z0-9+.-]*:)?[/\\]{2}", value, re.IGNORECASE) is not None


def _is_script_url(value: str) -> bool:
    scheme = "".join(ch for ch in value if not ch.isspace() and ord(ch) > 0x1F).lower()
    return scheme.startswith(("javascript:", "vbscript:", "data:"))
