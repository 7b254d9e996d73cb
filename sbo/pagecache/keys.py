"""The key a page is stored under: what makes two requests get the same page."""
from __future__ import annotations

from .. import clock


def page_key(environ: dict, generation: int) -> str:
    """Generation, today's date (pages show "upcoming" editions), and what the app routes and
    renders: the scheme and host (as RequestOrigin left them: trusted only from a configured
    proxy), the script root and the path apart (so "/aanbod" + "/" never meets "" + "/aanbod/"),
    and the query string."""
    return (f"sbo:page:{generation}:{clock.today().isoformat()}:{environ.get('wsgi.url_scheme')}://"
            f"{environ.get('HTTP_HOST') or environ.get('SERVER_NAME')}"
            f"|{environ.get('SCRIPT_NAME', '')}|{environ.get('PATH_INFO', '')}"
            f"?{environ.get('QUERY_STRING', '')}")
