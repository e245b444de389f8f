"""Printing one badge from the desk: on demand (Ctrl+P, the person dialog), previewed, or automatically.

The check-in never depends on the printer: a failure is shown under the verdict and
the check-in stays. Automatic printing runs in a worker, so the next scan never waits
for the printer. Every recorded print is published on the desk's ``ChangeBus``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject

from checkin.domain.errors import UserError
from checkin.domain.models import RegistrationStatus
from checkin.domain.supervisor import SupervisedStep
from checkin.domain.verdicts import ScanVerdict
from checkin.i18n import _
from checkin.ui.change_bus import changes_of_print
from checkin.ui.undo_guard import Confirm, ask

if TYPE_CHECKING:
    from PySide6.QtPrintSupport import QPrinter
    from PySide6.QtWidgets import QWidget

    from checkin.ui.checkin_panel import CheckInPanel
    from checkin.ui.context import DeskContext
    from checkin.ui.supervisor_dialog import SupervisorGate


class BadgePrinting(QObject):
    """Prints badges for the desk and tells the desk's panel how it went.

    Args:
        context: the desk's services and settings.
        desk: the entrance panel (the person shown, where the print status appears).
        window: parent of the print and preview dialogs.
        printer: print into this printer instead of the configured one (PDF output in tests).
        refocus: gives the scan field its focus back after a dialog.
    """

    def __init__(
        self,
        context: DeskContext,
        desk: CheckInPanel,
        window: QWidget,
        *,
        printer: QPrinter | None = None,
        refocus: Callable[[], None] = lambda: None,
    ) -> None:
        super().__init__(window)
        self.context = context
        self.desk = desk
        self.window = window
        self.printer = printer
        self._refocus = refocus
        # A cancelled or unpaid person's badge: asked first (``undo_guard.ask``), or the PIN when set.
        self.confirm: Confirm = ask
        self.supervisor: SupervisorGate | None = None
        desk.checked_in.connect(self.auto_print_after)

    def cancelled_badge_allowed(self, registration_id: int) -> bool:
        """True unless the person is cancelled or has not paid and staff (or the supervisor) do not
        want the badge."""
        try:
            summary = self.context.checkin.person(registration_id).summary
        except UserError:
            return True  # the renderer says what is wrong
        name = summary.display_name
        if summary.status == RegistrationStatus.CANCELLED.value:
            why = _("{name} is cancelled: their badge needs the supervisor PIN.").format(name=name)
            question = _("{name} is cancelled. Make the badge anyway?").format(name=name)
            title = _("Cancelled registration")
        elif summary.status == RegistrationStatus.UNPAID.value:
            why = _("{name} has not paid: their badge needs the supervisor PIN.").format(name=name)
            question = _("{name} has not paid. Make the badge anyway?").format(name=name)
            title = _("Not paid")
        else:
            return True
        supervisor = self.supervisor
        if supervisor is not None and supervisor.active:
            step = SupervisedStep.CANCELLED_BADGE
            return supervisor.allow(self.window, step, why, {"registration_id": registration_id})
        return self.confirm(self.window, title, question)

    def _name(self, registration_id: int) -> str:
        try:
            return self.context.checkin.person(registration_id).summary.display_name
        except UserError:
            return str(registration_id)

    def _layout_key(self) -> str:
        return self.context.settings.badge_layout or self.context.event.badge_layout

    def _recorded(self, registration_id: int, layout: str, reason: str) -> None:
        self.context.badges.record_print([registration_id], layout=layout, reason=reason)
        self.context.changes.publish(changes_of_print([registration_id]))

    # -- automatic -----------------------------------------------------------------------------
    def auto_print_after(self, verdict: ScanVerdict) -> None:
        """After a check-in: print the badge if the settings say so (and it was not printed yet)."""
        settings = self.context.settings
        if not settings.auto_print or verdict.person is None:
            return
        registration_id = verdict.person.registration_id
        if settings.auto_print_only_unprinted and self.context.badges.last_print(registration_id) is not None:
            return
        self.auto_print(registration_id, verdict.person.display_name)

    def auto_print(self, registration_id: int, name: str) -> None:
        """Print the badge in a worker: the next scan never waits for the printer."""
        from checkin.ui.printing import prepare_printer, render_pdf_to_printer

        badges = self.context.badges
        layout = self._layout_key()
        try:
            # Without the dialog only the printer is looked up; no PDF is needed for that yet.
            printer = self.printer or prepare_printer(
                b"", parent=self.window, printer_name=self.context.settings.printer or None, show_dialog=False
            )
        except UserError as error:
            self._show_auto_failure(error, name)
            return
        if printer is None:  # only a print dialog can be cancelled; there is none here
            return

        def work(_progress: Any) -> None:
            pdf = badges.render_badges([registration_id], layout=layout)
            render_pdf_to_printer(pdf, printer)
            badges.record_print([registration_id], layout=layout, reason="auto")

        def done(_result: Any) -> None:
            self.context.changes.publish(changes_of_print([registration_id]))
            self.desk.show_print_status(_("Badge for {name} sent to the printer.").format(name=name), ok=True)

        self.context.tasks.run(
            work, on_done=done, on_error=lambda error: self._show_auto_failure(error, name), quiet=True
        )

    def _show_auto_failure(self, error: BaseException, name: str) -> None:
        self.desk.show_print_status(
            _("The badge for {name} was not printed: {reason} The check-in is saved.").format(
                name=name, reason=str(error)
            ),
            ok=False,
        )

    # -- on demand -----------------------------------------------------------------------------
    def print_badge(
        self, registration_id: int, *, reason: str | None = None, show_dialog: bool = False
    ) -> bool:
        """Render one badge and print it; a failure is shown and never touches the check-in."""
        if reason != "auto" and not self.cancelled_badge_allowed(registration_id):
            self._refocus()
            return False
        badges = self.context.badges
        if reason is None:
            reason = "reprint" if badges.last_print(registration_id) is not None else "single"
        from checkin.ui.printing import print_pdf  # QtPdf is loaded on the first print, not at start

        layout = self._layout_key()
        try:
            pdf = badges.render_badges([registration_id], layout=layout)
            printed = print_pdf(
                pdf,
                parent=self.window,
                printer_name=self.context.settings.printer or None,
                show_dialog=show_dialog,
                printer=self.printer,
            )
            if printed:
                self._recorded(registration_id, layout, reason)
        except UserError as error:
            self.desk.show_print_status(
                _("The badge was not printed: {reason} The check-in is saved.").format(reason=str(error)),
                ok=False,
            )
            return False
        if printed:
            self.desk.show_print_status(_("Badge sent to the printer."), ok=True)
        self._refocus()
        return printed

    def preview_badge(self, registration_id: int) -> bool:
        """Show the badge before printing (print to any printer with Qt's dialog, or save the PDF)."""
        from checkin.ui.badge_dialogs import PdfPreviewDialog

        if not self.cancelled_badge_allowed(registration_id):
            self._refocus()
            return False
        badges = self.context.badges
        layout = self._layout_key()
        reason = "reprint" if badges.last_print(registration_id) is not None else "single"
        try:
            pdf = badges.render_badges([registration_id], layout=layout)
        except UserError as error:
            self.desk.show_print_status(str(error), ok=False)
            return False
        done: list[bool] = []

        def record(saved_to: object = None) -> None:
            if not done:
                self._recorded(registration_id, layout, reason)
                done.append(True)
            # Said under the result at once, like a print from the desk's own button.
            name = self._name(registration_id)
            if saved_to is None:
                self.desk.show_print_status(
                    _("Badge for {name} sent to the printer.").format(name=name), ok=True
                )
            else:
                self.desk.show_print_status(
                    _("Badge for {name} saved as a PDF file.").format(name=name), ok=True
                )

        dialog = PdfPreviewDialog(
            pdf,
            _("Badge preview"),
            self.window,
            printer_name=self.context.settings.printer or None,
            suggested_name=f"badge-{registration_id}.pdf",
        )
        dialog.printed.connect(record)
        dialog.saved.connect(record)
        dialog.exec()
        self._refocus()
        return bool(done)

    def _shown_or_say_so(self) -> int | None:
        registration_id = self.desk.shown_registration_id
        if registration_id is None:
            self.desk.show_message(
                _("No one to print"), _("Scan or choose a person first, then press Ctrl+P.")
            )
        return registration_id

    def print_shown_badge(self) -> None:
        if (registration_id := self._shown_or_say_so()) is not None:
            self.print_badge(registration_id)

    def preview_shown_badge(self) -> None:
        if (registration_id := self._shown_or_say_so()) is not None:
            self.preview_badge(registration_id)
