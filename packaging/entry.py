"""Frozen entry point: the same `rectify` as the pip-installed launcher (ui.launch:main)."""

import sys

from ui.launch import main

if __name__ == "__main__":
    sys.exit(main())
