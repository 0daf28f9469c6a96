"""Container health check: ``python -m app.healthcheck`` exits 0 when /health answers ok.

The slim image has no curl or wget; the Dockerfile HEALTHCHECK and the compose
healthcheck both run this instead.
"""

from __future__ import annotations

import json
import os
import sys
import urllib.request


def check(url: str, timeout: float = 3.0) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 (fixed http URL)
            return response.status == 200 and json.load(response).get("status") == "ok"
    except Exception:
        return False


def main() -> int:
    port = os.environ.get("PORT", "8000")
    return 0 if check(f"http://127.0.0.1:{port}/health") else 1


if __name__ == "__main__":
    sys.exit(main())
