"""The `rectify` entry point: a subcommand runs headless, no subcommand opens the window."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """Dispatch to the CLI (without importing Qt) or, with no subcommand, to the window."""
    args = list(sys.argv[1:] if argv is None else argv)
    window_only, db = _window_args(args)
    if window_only:
        # Straight to the window: building the parser imports every command module (and
        # SQLAlchemy), which the window's first rows do not wait for (ui.first_paint).
        from ui.app import run

        return run(db)
    from tracker.cli.main import build_parser
    from tracker.cli.main import main as cli_main

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


def _window_args(args: list[str]) -> tuple[bool, str | None]:
    """(True, the --db value) when the arguments only open the window: none, or just --db
    with a file; anything else goes through the parser (its help, errors and commands)."""
    if not args:
        return True, None
    if len(args) == 2 and args[0] == "--db" and args[1] and not args[1].startswith("-"):
        return True, args[1]
    if len(args) == 1 and args[0].startswith("--db=") and len(args[0]) > len("--db="):
        return True, args[0][len("--db="):]
    return False, None


if __name__ == "__main__":
    sys.exit(main())
