"""Run the service: ``python -m app`` (listens on 0.0.0.0:$PORT, default 8000)."""

from __future__ import annotations

import os
import signal
import sys
from types import FrameType

from .server import make_server


def main() -> int:
    host = os.environ.get("HOST", "0.0.0.0")
    port = int(os.environ.get("PORT", "8000"))
    server = make_server(host, port)

    def stop(signum: int, _frame: FrameType | None) -> None:
        # docker stop sends SIGTERM (through tini, `init: true`): leave serve_forever cleanly.
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    print(f"monarch-web listening on {host}:{port}", file=sys.stderr, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
