"""The `rectify` entry point: a subcommand runs headless, no subcommand opens the window."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """Dispatch to the CLI (without importing Qt) or, with no subcommand, to the window."""
    from tracker.cli.main import build_parser
    from tracker.cli.main import main as cli_main

    args = list(sys.argv[1:] if argv is None else argv)
    try:
        namespace = build_parser().parse_args(args)  # -h and usage errors exit here
    except Exception as exc:  # building the parser imports every command: a broken install
        from tracker.logs import log_exception, setup_logging, unexpected_error_text

        setup_logging("cli")
        log_exception("启动失败", exc)
        print(f"rectify: {unexpected_error_text(exc)}", file=sys.stderr)
        return 1
    if namespace.command is None:
        from ui.app import run

        return run(namespace.db)
    return cli_main(args)


if __name__ == "__main__":
    sys.exit(main())
