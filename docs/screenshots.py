"""Take the README's screenshots from the real app: a demo ledger in a temporary folder, the
main window and the 统计 window in a real X window (run under Xvfb):

    xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python docs/screenshots.py
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

DOCS = Path(__file__).resolve().parent


def _wait(app: object, ms: int) -> None:
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def main() -> int:
    """Write docs/screenshot-main.png, screenshot-evidence.png and screenshot-dashboard.png."""
    folder = Path(tempfile.mkdtemp(prefix="rectify-shots-"))
    os.environ.setdefault("RECTIFY_LOG_DIR", str(folder))
    os.environ.setdefault("XDG_CONFIG_HOME", str(folder / "config"))  # no real settings touched
    sys.path.insert(0, str(DOCS.parent))
    from tracker.db.engine import open_ledger
    from tracker.demo import build_demo
    from tracker.services.evidence import attach_bytes
    from ui.app import make_app
    from ui.external_dialogs import dashboard
    from ui.main_window import MainWindow

    app = make_app()
    ledger = open_ledger(folder / "示例台账.sqlite", user="演示")
    build_demo(ledger, 120)
    window = MainWindow(ledger)
    window.resize(1500, 900)
    window.show()
    _wait(app, 2500)
    window.grab().save(str(DOCS / "screenshot-main.png"))
    # The 佐证材料 tab of a problem a unit has sent its evidence for.
    attach_bytes(ledger, 2, [("整改报告（盖章版）.pdf", b"%PDF" * 30000),
                             ("食堂现场照片1.jpg", b"\xff\xd8" * 450000),
                             ("会议纪要.docx", b"PK" * 2500)], note="单位报送")
    window.select_problem(2)
    window.detail.tabs.setCurrentWidget(window.detail.evidence)
    _wait(app, 800)
    window.grab().save(str(DOCS / "screenshot-evidence.png"))
    dashboard(window)
    dialog = window.dashboard_window
    dialog.resize(1100, 780)
    _wait(app, 2500)
    dialog.grab().save(str(DOCS / "screenshot-dashboard.png"))
    dialog.close()
    window.close()
    ledger.close()
    print(f"已更新 {DOCS} 中的三张截图")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
