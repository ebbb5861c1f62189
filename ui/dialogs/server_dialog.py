"""文件 → 连接服务器台账…: host, port, database and user of a PostgreSQL ledger; recent
servers are remembered as addresses only, a password only ever in the system keyring."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from tracker.db import server
from ui import settings

KEY_RECENT_SERVERS = "servers/recent"
MAX_RECENT_SERVERS = 8


def recent_servers() -> list[str]:
    """Recently connected server ledgers (URLs without passwords), newest first."""
    value = settings.settings().value(KEY_RECENT_SERVERS, [])
    items: list[object] = ([value] if isinstance(value, str)
                           else list(value) if isinstance(value, (list, tuple)) else [])
    return [str(v) for v in items if v and server.is_server_url(str(v))]


def remember_server(url: str) -> None:
    """Put a server at the top of the recent list; the password is never part of it."""
    shown = server.display(server.parse_url(url))
    items = [u for u in recent_servers() if u != shown]
    settings.set_value(KEY_RECENT_SERVERS, [shown, *items][:MAX_RECENT_SERVERS])


def _keyring_available() -> bool:
    try:
        import keyring  # type: ignore[import-not-found]  # noqa: F401
    except Exception:
        return False
    return True


class ServerDialog(QDialog):
    """Asks where the server ledger is; url() gives the address to open."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("连接服务器台账"))
        self.recent = QComboBox(self)
        self.recent.addItem(self.tr("（新的服务器）"), "")
        for url in recent_servers():
            self.recent.addItem(url, url)
        self.recent.currentIndexChanged.connect(self._fill_from_recent)
        self.host = QLineEdit(self)
        self.host.setPlaceholderText("192.168.1.10")
        self.port = QSpinBox(self)
        self.port.setRange(1, 65535)
        self.port.setValue(5432)
        self.database = QLineEdit("rectify", self)
        self.user = QLineEdit(self)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("留空：使用 pgpass 文件或已保存的密码"))
        self.keep = QCheckBox(self.tr("把密码保存到系统钥匙串"), self)
        self.keep.setEnabled(_keyring_available())
        form = QFormLayout()
        form.addRow(self.tr("最近连接"), self.recent)
        form.addRow(self.tr("服务器"), self.host)
        form.addRow(self.tr("端口"), self.port)
        form.addRow(self.tr("数据库"), self.database)
        form.addRow(self.tr("用户名"), self.user)
        form.addRow(self.tr("密码"), self.password)
        form.addRow("", self.keep)
        note = QLabel(self.tr("密码不会写进设置文件。也可以在 pgpass 文件中保存密码，见 docs/server.md。"), self)
        note.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("连接"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)
        if self.recent.count() > 1:
            self.recent.setCurrentIndex(1)

    def _fill_from_recent(self, index: int) -> None:
        url = self.recent.itemData(index)
        if not url:
            return
        parsed = server.parse_url(url)
        self.host.setText(parsed.host or "")
        self.port.setValue(parsed.port or 5432)
        self.database.setText(parsed.database or "")
        self.user.setText(parsed.username or "")

    def url(self) -> str:
        """The address to open (no password in it)."""
        return server.build_url(self.host.text(), self.port.value(), self.database.text(),
                                self.user.text())

    def store_password(self) -> None:
        """Keep the typed password in the system keyring when the clerk asked for it."""
        if self.keep.isChecked() and self.password.text():
            import keyring  # type: ignore[import-not-found]

            shown = server.display(server.parse_url(self.url()))
            keyring.set_password(server.KEYRING_SERVICE, shown, self.password.text())

    def url_for_this_session(self) -> str:
        """The address with a typed but not-kept password, for this connection only."""
        if self.password.text() and not self.keep.isChecked():
            return server.parse_url(self.url()).set(
                drivername="postgresql", password=self.password.text()).render_as_string(
                hide_password=False)
        return self.url()
