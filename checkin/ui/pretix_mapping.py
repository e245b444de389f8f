"""The pretix mapping page: what each pretix product, variation, check-in list and question stands for.

Shows the rows ``PretixService.connect`` chose (``checkin.pretix.mapping.default_mapping``) with a
choice box each, lists what maps to nothing at the top, and saves changed rows with the same
domain function as ``checkin pretix map`` (``checkin.pretix.store.set_mapping``). Saving downloads
again in the background, so the change reaches every registration at once.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from checkin.domain.events import EventInfo, EventService
from checkin.domain.progress import Progress
from checkin.i18n import N_, _, ngettext
from checkin.presentation.formats import format_date
from checkin.pretix.mapping import MappingRow
from checkin.pretix.service import DownloadResult, PretixService
from checkin.pretix.store import load_mapping, set_mapping
from checkin.ui import theme
from checkin.ui.context import DeskContext

# The page's sections: which rows each holds, and its heading.
_SECTIONS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("item", "item_days", "variation", "var_days"), N_("Products and variations")),
    (("list",), N_("Check-in lists")),
    (("question", "option"), N_("Questions")),
)
# A row's label is cut after this many characters (the whole text is its tooltip).
_LABEL_CHARS = 44


@dataclass(frozen=True)
class Choice:
    target_kind: str
    target: str
    text: str


def _data(target_kind: str, target: str) -> str:
    """A box item's data: one string (Qt compares it reliably, unlike a Python tuple)."""
    return f"{target_kind}|{target}"


def _days_text(event: EventInfo, target: str) -> str:
    dates = [d for d in target.split(",") if d]
    labels = {d.date.isoformat(): d.label or format_date(d.date) for d in event.days}
    return ", ".join(labels.get(d, d) for d in dates)


def choices_for(row: MappingRow, event: EventInfo) -> list[Choice]:
    """What a row may map to, in the order the box offers it (the current target always among them)."""
    unmapped = Choice("unmapped", "", _("— not mapped —"))
    categories = [Choice("category", c.key, c.name) for c in event.categories]
    workshops = [
        Choice("session", s.key, _("Workshop: {title}").format(title=s.title)) for s in event.workshops
    ]
    kind = row.source_kind
    if kind == "item":
        found = [*categories, *workshops, Choice("ignore", "", _("No admission (ignore)"))]
    elif kind == "variation":
        found = [Choice("inherit", "", _("As the product")), *categories]
    elif kind in ("item_days", "var_days", "list"):
        found = [Choice("days", "", _("Every day"))]
        found += [Choice("days", d.date.isoformat(), d.label or format_date(d.date)) for d in event.days]
        if kind == "var_days":
            found.insert(0, Choice("inherit", "", _("As the product")))
    elif kind == "question":
        found = [Choice("workshops", "", _("Workshop choice")), Choice("ignore", "", _("Ignore"))]
    else:  # option
        found = [Choice("session", s.key, s.title) for s in event.workshops]
    if not any((c.target_kind, c.target) == (row.target_kind, row.target) for c in found):
        if row.target_kind == "unmapped":
            found.insert(0, unmapped)
        elif row.target_kind == "days":
            found.append(Choice("days", row.target, _days_text(event, row.target)))
        else:
            found.append(Choice(row.target_kind, row.target, f"{row.target_kind}: {row.target}"))
    return found


def row_label(row: MappingRow) -> str:
    texts = {
        "item": _("Product “{label}”"),
        "item_days": _("Days of “{label}”"),
        "variation": _("Variation “{label}”"),
        "var_days": _("Days of “{label}”"),
        "list": _("Check-in list “{label}”"),
        "question": _("Question “{label}”"),
        "option": _("Answer “{label}”"),
    }
    return texts.get(row.source_kind, "{label}").format(label=row.label)


class PretixMappingPage(QWidget):
    """The mapping of one connected event, editable; ``applied`` carries the download that applied it."""

    applied = Signal(object)  # DownloadResult
    failed = Signal(object)  # the error of saving or downloading

    def __init__(self, context: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.slug: str | None = None
        self.rows: dict[tuple[str, int], MappingRow] = {}
        self.combos: dict[tuple[str, int], QComboBox] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setFont(theme.font(12, bold=True))
        layout.addWidget(self.summary)
        self.unmapped_label = QLabel()
        self.unmapped_label.setObjectName("pretixUnmapped")
        self.unmapped_label.setWordWrap(True)
        layout.addWidget(self.unmapped_label)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout.addWidget(self.scroll_area, 1)
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._follow_focus)

    def _follow_focus(self, _old: QWidget | None, new: QWidget | None) -> None:
        """Keyboard use: the box that gets the focus is scrolled into view."""
        inner = self.scroll_area.widget()
        if new is not None and inner is not None and inner.isAncestorOf(new):
            self.scroll_area.ensureWidgetVisible(new, 20, 40)

    def load(self, slug: str, summary: str = "") -> None:
        """Show the mapping of the local event ``slug`` as stored."""
        self.slug = slug
        event = EventService(self.context.db).get(slug)
        with self.context.db.read() as session:
            rows = load_mapping(session, event.id)
        self.rows = {(r.source_kind, r.source_id): r for r in rows}
        self.combos = {}
        inner = QWidget()
        outer = QVBoxLayout(inner)
        for kinds, title in _SECTIONS:
            section = [r for r in rows if r.source_kind in kinds]
            if not section:
                continue
            box = QGroupBox(_(title))
            form = QFormLayout(box)
            for row in section:
                combo = QComboBox()
                # Sized by a few characters, not by its longest entry: the page never scrolls sideways.
                combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
                combo.setMinimumContentsLength(16)
                for choice in choices_for(row, event):
                    combo.addItem(choice.text, _data(choice.target_kind, choice.target))
                combo.setCurrentIndex(max(0, combo.findData(_data(row.target_kind, row.target))))
                text = row_label(row) + ("  *" if row.edited else "")
                label = QLabel(text if len(text) <= _LABEL_CHARS else text[: _LABEL_CHARS - 1] + "…")
                label.setToolTip(text)
                label.setBuddy(combo)
                combo.setToolTip(text)
                form.addRow(label, combo)
                self.combos[(row.source_kind, row.source_id)] = combo
            outer.addWidget(box)
        outer.addStretch(1)
        self.scroll_area.setWidget(inner)
        self.summary.setText(summary)
        self._show_unmapped()
        self.status.clear()

    def _show_unmapped(self) -> None:
        missing = [row_label(r) for r in self.rows.values() if r.target_kind == "unmapped"]
        if missing:
            self.unmapped_label.setText(
                _("Not mapped (nobody gets anything from these): {items}").format(items="; ".join(missing))
            )
            self.unmapped_label.setStyleSheet("color: #b91c1c; font-weight: bold;")
        else:
            self.unmapped_label.setText(_("Every product, list and question is mapped."))
            self.unmapped_label.setStyleSheet("")

    def choose(self, source_kind: str, source_id: int, target_kind: str, target: str = "") -> None:
        """Pick a target as the user would (tests, and the keyboard's way is the same box)."""
        combo = self.combos[(source_kind, source_id)]
        index = combo.findData(_data(target_kind, target))
        if index < 0:
            raise KeyError((target_kind, target))
        combo.setCurrentIndex(index)

    def current(self, source_kind: str, source_id: int) -> tuple[str, str]:
        """What a row's box says now: (target kind, target)."""
        target_kind, _sep, target = str(self.combos[(source_kind, source_id)].currentData()).partition("|")
        return target_kind, target

    def changed_rows(self) -> list[MappingRow]:
        changed = []
        for key in self.combos:
            target_kind, target = self.current(*key)
            row = self.rows[key]
            if (target_kind, target) != (row.target_kind, row.target):
                changed.append(
                    MappingRow(row.source_kind, row.source_id, row.label, target_kind, target, edited=True)
                )
        return changed

    def save(self) -> bool:
        """Store the changed rows and download again to apply them; False when nothing changed."""
        changed = self.changed_rows()
        if self.slug is None or not changed:
            self.status.setText(_("Nothing changed."))
            return False
        slug, db = self.slug, self.context.db
        event = EventService(db).get(slug)
        with db.write() as session:
            for row in changed:
                set_mapping(session, event.id, row.source_kind, row.source_id, row.target_kind, row.target)
        self.status.setText(_("Mapping saved; downloading again to apply it …"))

        def apply(progress: Progress) -> DownloadResult:
            return PretixService(db).download(slug, progress=progress)

        self.context.tasks.run(
            apply,
            on_done=self._on_applied,
            on_error=self._on_failed,
            title=_("Applying the mapping …"),
            parent=self,
        )
        return True

    def _on_applied(self, result: DownloadResult) -> None:
        self.context.changes.publish(result.changes)
        if self.slug is not None:
            self.load(self.slug, self.summary.text())
        self.status.setText(
            ngettext(
                "Mapping saved and applied: {n} registration changed.",
                "Mapping saved and applied: {n} registrations changed.",
                result.updated,
            ).format(n=result.updated)
        )
        self.applied.emit(result)

    def _on_failed(self, error: BaseException) -> None:
        self.status.setText(
            _("The mapping is saved, but the download that applies it failed: {reason}").format(reason=error)
        )
        self.failed.emit(error)


__all__ = ["Choice", "PretixMappingPage", "choices_for", "row_label"]
