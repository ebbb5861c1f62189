"""UI tests run offscreen, with settings and data folders of their own: nothing a test
remembers (window geometry, recent files, the default ledger) reaches the user's real ones."""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
_sandbox = tempfile.mkdtemp(prefix="rectify-ui-tests-")
os.environ["XDG_CONFIG_HOME"] = os.path.join(_sandbox, "config")
os.environ["XDG_DATA_HOME"] = os.path.join(_sandbox, "data")
os.environ.pop("RECTIFY_DB", None)
