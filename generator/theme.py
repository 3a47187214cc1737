"""The theme profile: everything the project relies on that is particular to one theme.

The generator writes plain Markdown that any engine and theme can build; what it must know of
the theme that turns it into HTML lives here and nowhere else. The inline scripts the theme
prints (pinned as exact text, so the page policy can allow exactly them), where its search
index and search worker are, where a built page's content starts (for the audit and the
reading scores), and the classes our templates borrow for buttons. A theme upgrade or a new
theme is a change to this module.
"""

from __future__ import annotations

import base64
import difflib
import functools
import hashlib
import importlib.util
from pathlib import Path

from generator.errors import Problem, quoted

# The theme release these scripts were read from. Re-check them on every theme upgrade.
THEME = "mkdocs-material"
THEME_VERSION = "9.8.2"

# Material's inline scripts, as it prints them. `{scope}` is where the site's own path goes
# (the engine adapter sets Material's `extra.scope` to it, so the script is the same on every
# page).
THEME_SCRIPTS = {
    "storage helpers (partials/javascripts/base.html)": (
        '__md_scope=new URL("{scope}",location),'
        "__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0),"
        '__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+"."+e)),'
        "__md_set=(e,_,t=localStorage,a=__md_scope)=>"
        '{try{t.setItem(a.pathname+"."+e,JSON.stringify(_))}catch(e){}}'
    ),
    "saved colour scheme (partials/javascripts/palette.html)": (
        'var palette=__md_get("__palette");if(palette&&palette.color){'
        'if("(prefers-color-scheme)"===palette.color.media){'
        'var media=matchMedia("(prefers-color-scheme: light)"),'
        "input=document.querySelector(media.matches?"
        "\"[data-md-color-media='(prefers-color-scheme: light)']\":"
        "\"[data-md-color-media='(prefers-color-scheme: dark)']\");"
        'palette.color.media=input.getAttribute("data-md-color-media"),'
        'palette.color.scheme=input.getAttribute("data-md-color-scheme"),'
        'palette.color.primary=input.getAttribute("data-md-color-primary"),'
        'palette.color.accent=input.getAttribute("data-md-color-accent")}'
        "for(var[key,value]of Object.entries(palette.color))"
        'document.body.setAttribute("data-md-color-"+key,value)}'
    ),
    "open a linked tab (partials/javascripts/content.html)": (
        "var target=document.getElementById(location.hash.slice(1));"
        'target&&target.name&&(target.checked=target.name.startsWith("__tabbed_"))'
    ),
}

# Where the theme keeps its search index and its search worker (search-on-demand.js holds
# back both until the reader searches).
SEARCH_INDEX = "search/search_index.json"
SEARCH_WORKER = r"assets/javascripts/workers/search\.[0-9a-f]+\.min\.js"
# A built page's own content: the element and class that wrap it.
CONTENT_ELEMENT = ("article", "md-content__inner")
# The class our templates give buttons so they look like the theme's.
BUTTON = "md-button"


def script_hash(text: str) -> str:
    """The CSP source expression that allows an inline script with exactly this text."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def allowed_scripts(scope: str) -> dict[str, str]:
    """Hash source → name of each allowlisted inline script, as printed for this scope."""
    return {script_hash(text.replace("{scope}", scope)): name
            for name, text in THEME_SCRIPTS.items()}


# Codes that stand for a group of languages the theme has one by one ("no" is Norwegian,
# which the theme has as Bokmål and Nynorsk).
_MEMBERS = {"no": ("nb", "nn")}


@functools.cache
def languages() -> frozenset[str]:
    """The languages the installed theme has words for: one `partials/languages/<code>.html`
    each. Read from the package's folder, without importing the theme."""
    spec = importlib.util.find_spec("material")
    if spec is None or not spec.submodule_search_locations:
        return frozenset()
    folder = Path(spec.submodule_search_locations[0]) / "templates" / "partials" / "languages"
    return frozenset(path.stem for path in folder.glob("*.html"))


def check_language(document, site) -> list[Problem]:
    """The site's language is one the theme can print its own words in (search, menus):
    the theme stops the build with no words for it, so `check` says so first."""
    known = languages()
    if not known or site.language in known:
        return []
    base = site.language.split("-")[0]
    near = [code for code in (base, *_MEMBERS.get(base, ())) if code in known]
    near += [code for code in difflib.get_close_matches(site.language, sorted(known), n=3,
                                                        cutoff=0.5) if code not in near]
    hint = ("use " + " or ".join(f"'{code}'" for code in near[:3]) if near else
            f"use one of the {len(known)} codes the theme knows, such as 'en', 'es' or 'fr'")
    return [document.problem(("language",), f"the theme has no words for the language "
                             f"{quoted(site.language)}", hint, "bad-language")]
