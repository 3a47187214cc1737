"""The Content-Security-Policy every page carries.

GitHub Pages cannot send response headers, so each page states its own policy in a `<meta>`
element. The policy allows scripts from the site itself plus the hashes of the theme's own
inline scripts, which `theme` pins as exact text. Hashing whatever inline scripts a build
happens to contain would also bless a script that slipped in through content; pinning the
text means a theme upgrade that changes one of them stops the build (see `audit`) until
someone has read the new script and copied it there.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from generator.theme import allowed_scripts

# Script types that are data, not code: the browser never runs them, so CSP does not apply.
DATA_SCRIPT_TYPES = frozenset({"application/json", "application/ld+json"})


def scope_of(site_url: str | None) -> str:
    """The path the site is served under ('/health-guides/'), where the theme keys its storage."""
    path = urlsplit(site_url or "/").path or "/"
    return path if path.endswith("/") else path + "/"


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
