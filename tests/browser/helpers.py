"""Browser test helpers: the app served on 127.0.0.1 in a thread, where screenshots go."""
from __future__ import annotations

import threading
from pathlib import Path

from werkzeug.serving import make_server

SCREENSHOTS = Path(__file__).parent / "screenshots"
# axe-core: the WCAG 2.1 A and AA rules, violations only, as test_quality.py checks every page
# (not the best-practice rule "region": the staff bar sits outside the landmarks)
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
               "resultTypes": ["violations"]}


class LiveServer:
    def __init__(self, app):
        self.app = app
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.thread.join(5)
