"""The Content-Security-Policy every page carries, and the theme's inline scripts it allows.

GitHub Pages cannot send response headers, so each page states its own policy in a `<meta>`
element. The policy allows scripts from the site itself plus the hashes of the theme's own
inline scripts, pinned here as exact text. Hashing whatever inline scripts a build happens to
contain would also bless a script that slipped in through content; pinning the text means a
theme upgrade that changes one of them stops the build (see `audit`) until someone has read
the new script and copied it here.
"""

from __future__ import annotations

import base64
import hashlib
from urllib.parse import urlsplit

# The theme release these scripts were read from. Re-check them on every theme upgrade.
THEME = "mkdocs-material"
THEME_VERSION = "9.8.1"

# Material's inline scripts, as it prints them. `{scope}` is where the site's own path goes
# (the adapter sets Material's `extra.scope` to it, so the script is the same on every page).
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

# Script types that are data, not code: the browser never runs them, so CSP does not apply.
DATA_SCRIPT_TYPES = frozenset({"application/json", "application/ld+json"})


def scope_of(site_url: str | None) -> str:
    """The path the site is served under ('/health-guides/'), where the theme keys its storage."""
    path = urlsplit(site_url or "/").path or "/"
    return path if path.endswith("/") else path + "/"


def script_hash(text: str) -> str:
    """The CSP source expression that allows an inline script with exactly this text."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def allowed_scripts(scope: str) -> dict[str, str]:
    """Hash source → name of each allowlisted inline script, as printed for this scope."""
    return {script_hash(text.replace("{scope}", scope)): name
            for name, text in THEME_SCRIPTS.items()}


def content_security_policy(scope: str, *, preview: bool = False) -> str:
    """The policy for every page: nothing from anywhere unless the site's own pages need it.

    `img-src data:` is for the theme's icons, which its stylesheet embeds as data: SVG; the
    search index is fetched (`connect-src`) and searched in a worker (`worker-src`) from the
    site itself. `frame-ancestors` is left out: browsers ignore it in a `<meta>` policy.

    `preview` is for `serve` only: MkDocs' live reload adds an inline script whose text
    changes on every rebuild, so the local preview allows inline scripts. Built sites never
    do; the audit holds every built page to the strict policy.
    """
    allowed = ["'unsafe-inline'"] if preview else sorted(allowed_scripts(scope))
    scripts = " ".join(["'self'", *allowed])
    return "; ".join([
        "default-src 'none'",
        f"script-src {scripts}",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "worker-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
    ])
