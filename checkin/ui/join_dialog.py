"""Join a hub from the window: address, password, desk name and the local copy's file.

The first download runs as a background task with progress (``TaskRunner``); it is
resumable: cancelled or cut off, the same file continues where it stopped. The password
goes to the keyring (``checkin.domain.secrets``, through ``checkin.sync.join``), never
into the settings. A failure is said in the desk's language (``join_failure_text``).
After the join the dialog holds the local copy's path (``joined_path``); the settings
dialog then has the window switch to it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from checkin.domain.progress import Cancelled, Progress
from checkin.i18n import _
from checkin.presentation.sync_text import join_failure_text
from checkin.ui import theme

if TYPE_CHECKING:
    from checkin.sync.join import JoinResult
    from checkin.ui.context import DeskContext


def default_copy_path(desk_name: str) -> Path:
    """Where a desk keeps its copy of a hub: beside the default database, named after the desk."""
    from checkin.domain.db import default_db_path

    slug = re.sub(r"[^a-z0-9]+", "-", desk_name.lower()).strip("-") or "desk"
    return default_db_path().parent / f"hub-{slug}.db"


def hub_url(address: str, password: str) -> str:
    """The address with the password typed beside it (a password in the address itself stays)."""
    from sqlalchemy.engine import make_url

    url = make_url(address.strip())
    if password:
        url = url.set(password=password)
    return url.render_as_string(hide_password=False)


def join_hub(path: Path, url: str, desk_name: str, progress: Progress) -> JoinResult:
    """Join (or finish joining) into ``path``, then sync once; runs in a worker thread."""
    from checkin.domain.db import open_database
    from checkin.sync.join import join
    from checkin.sync.worker import SyncWorker

    path.parent.mkdir(parents=True, exist_ok=True)
    db = open_database(path)
    try:

        def step(_stage: str, count: int) -> None:
            if progress.is_cancelled():  # between two batches: what came so far is kept
                raise Cancelled(_("Stopped; joining again with the same file continues from here."))
            progress.update(count, None, _("{count} registrations downloaded …").format(count=count))

        result = join(db, url, desk_name, progress=step)
        worker = SyncWorker(db)
        try:
            worker.run_once()
        finally:
            worker.close()
        return result
    finally:
        db.dispose()


class JoinHubDialog(QDialog):
    """Asks for the hub and the desk, and joins in the background (``joined_path`` once done)."""

    def __init__(self, context: DeskContext, parent: QWidget | None = None, *, desk_name: str = "") -> None:
        super().__init__(parent)
        self.context = context
        self.joined_path: Path | None = None
        self.result_of_join: JoinResult | None = None
        self.setObjectName("joinHubDialog")
        self.setWindowTitle(_("Join a hub"))
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        intro = QLabel(
            _(
                "This desk keeps its own copy of the event from the hub (a PostgreSQL database) and "
                "keeps working from it when the network fails. Everything recorded here reaches the hub "
                "when it answers again."
            )
        )
        intro.setWordWrap(True)
        intro.setProperty("role", "muted")
        layout.addWidget(intro)
        form = QFormLayout()
        self.url_edit = QLineEdit()
        self.url_edit.setObjectName("hubUrl")
        self.url_edit.setPlaceholderText("postgresql+psycopg://desk@server/checkin")
        form.addRow(self._label(_("Hub &address"), self.url_edit), self.url_edit)
        self.password_edit = QLineEdit()
        self.password_edit.setObjectName("hubPassword")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(self._label(_("&Password"), self.password_edit), self.password_edit)
        self.desk_edit = QLineEdit(desk_name or context.settings.desk_name)
        self.desk_edit.setObjectName("hubDeskName")
        self.desk_edit.setMaxLength(100)
        form.addRow(self._label(_("Desk &name"), self.desk_edit), self.desk_edit)
        self.path_edit = QLineEdit(str(default_copy_path(self.desk_edit.text())))
        self.path_edit.setObjectName("hubCopyPath")
        form.addRow(self._label(_("&Local copy (file)"), self.path_edit), self.path_edit)
        layout.addLayout(form)
        hint = QLabel(_("The password is kept in the system's keyring, not in the settings."))
        hint.setWordWrap(True)
        hint.setProperty("role", "muted")
        layout.addWidget(hint)
        self.error_label = QLabel()
        self.error_label.setObjectName("joinError")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(f"color: {theme.SEVERITY_COLOURS[theme.Severity.REFUSED].text};")
        self.error_label.hide()
        layout.addWidget(self.error_label)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.join_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.join_button.setText(_("&Join"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self.buttons.accepted.connect(self.start_join)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.url_edit.setFocus()

    @staticmethod
    def _label(text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(buddy)
        return label

    def validate(self) -> str | None:
        if not self.url_edit.text().strip():
            return _("Enter the hub's address (postgresql+psycopg://user@server/database).")
        if not self.desk_edit.text().strip():
            return _("Give this desk a name (it appears in the check-in log).")
        if not self.path_edit.text().strip():
            return _("Choose a file for the local copy.")
        return None

    def show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()

    def start_join(self) -> None:
        """Join in a worker thread with a progress dialog; the dialog closes when it is done."""
        problem = self.validate()
        if problem:
            self.show_error(problem)
            return
        try:
            url = hub_url(self.url_edit.text(), self.password_edit.text())
        except Exception as error:  # an address that cannot be read at all
            self.show_error(join_failure_text(error))
            return
        self.error_label.hide()
        self.join_button.setEnabled(False)
        path = Path(self.path_edit.text().strip()).expanduser()
        desk_name = self.desk_edit.text().strip()
        self.context.tasks.run(
            lambda progress: join_hub(path, url, desk_name, progress),
            on_done=lambda result: self._on_joined(path, result),
            on_error=self._on_failed,
            title=_("Joining the hub …"),
            parent=self,
        )

    def _on_joined(self, path: Path, result: JoinResult) -> None:
        self.joined_path = path
        self.result_of_join = result
        self.accept()

    def _on_failed(self, error: BaseException) -> None:
        self.join_button.setEnabled(True)
        self.show_error(str(error) if isinstance(error, Cancelled) else join_failure_text(error))


__all__ = ["JoinHubDialog", "default_copy_path", "hub_url", "join_hub"]
