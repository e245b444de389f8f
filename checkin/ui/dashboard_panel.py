"""Live figures for the organisers: per day, per session, arrivals per 15 minutes.

Everything shown for a day is that event day's: the tiles, the programme and the
arrivals chart (whose bars add up to the "arrived" tile: both are
``domain.statistics`` figures of the check-ins in force for that event day).

The figures come from ``checkin.domain.statistics`` (no Qt), computed in
a quiet background task. The panel subscribes to the desk's ``ChangeBus``:
this desk's writes and what the one ``DatabasePoller`` saw other desks write
mark the figures stale, and a stale panel reloads when it is visible (at most
a quarter of the time, for very large events). Once a minute the figures are
recomputed anyway, because time alone turns "still expected" into "no-shows"
when a day or session ends. The panel runs no query of its own to find out
whether anything changed.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence
from typing import Any

from PySide6.QtCharts import QBarSeries, QBarSet, QCategoryAxis, QChart, QChartView, QValueAxis
from PySide6.QtCore import (
    QAbstractTableModel,
    QMargins,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QPainter, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from checkin.domain.changes import Changes
from checkin.domain.statistics import Dashboard, DayFigures, Phase, SessionFigures, load_dashboard_if_changed
from checkin.domain.verdicts import Severity
from checkin.domain.watcher import ChangeMarker
from checkin.i18n import _, current_language
from checkin.presentation.formats import format_date, format_time, format_time_range
from checkin.ui import theme
from checkin.ui.conflicts_line import ConflictsLine
from checkin.ui.context import DeskContext
from checkin.ui.settings import resolve_working_day

DEFAULT_REFRESH_MS = 5000
MIN_CONTENT_HEIGHT = 560  # header, tiles, a readable chart and a few programme rows
MAX_QUIET_S = 60.0
DASH = "–"

_ModelIndex = QModelIndex | QPersistentModelIndex


def _number(value: int | None) -> str:
    """1.234 in German, 1,234 in English."""
    if value is None:
        return DASH
    grouped = f"{value:,}"
    return grouped if current_language() == "en" else grouped.replace(",", ".")


def _percent(value: float | None) -> str:
    return DASH if value is None else f"{round(value * 100)} %"


def _nice_ceiling(value: int) -> int:
    """A y-axis top a bit above ``value`` that divides into 4 round steps (4, 8, 12, 20, 40, 60 …)."""
    wanted = max(value * 1.1, 1) / 4
    for exponent in range(8):
        for mantissa in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 7.5, 8):
            step = mantissa * 10**exponent
            if step >= wanted and step == int(step):
                return int(step) * 4
    return max(value, 1)


def _time_range(start: dt.time | None, end: dt.time | None) -> str:
    if start is None:
        return ""
    return format_time_range(start, end)


def _phase_text(phase: Phase | None) -> str:
    if phase is None:  # figures not placed in time; the dashboard's always are
        return ""
    return {Phase.UPCOMING: _("upcoming"), Phase.RUNNING: _("running"), Phase.OVER: _("over")}[phase]


class FiguresTableModel(QAbstractTableModel):
    """A read-only table of pre-formatted rows; numbers right-aligned. A thin adapter, no logic."""

    def __init__(self, headers: Sequence[str], numeric_columns: set[int], parent: Any = None) -> None:
        super().__init__(parent)
        self._headers = list(headers)
        self._numeric = numeric_columns
        self._rows: list[tuple[str, ...]] = []
        self._tooltips: list[str] = []
        self._warn: list[set[int]] = []

    def set_rows(
        self,
        rows: Sequence[tuple[str, ...]],
        tooltips: Sequence[str] | None = None,
        warn: Sequence[set[int]] | None = None,
    ) -> None:
        self.beginResetModel()
        self._rows = [tuple(r) for r in rows]
        self._tooltips = list(tooltips) if tooltips is not None else [""] * len(self._rows)
        self._warn = list(warn) if warn is not None else [set() for _row in self._rows]
        self.endResetModel()

    def set_headers(self, headers: Sequence[str]) -> None:
        if len(headers) != len(self._headers):  # the number of columns changes: views must relayout
            self.beginResetModel()
            self._headers = list(headers)
            self.endResetModel()
            return
        self._headers = list(headers)
        if self._headers:
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self._headers) - 1)

    def rowCount(self, parent: _ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._headers)

    def cell(self, row: int, column: int) -> str:
        cells = self._rows[row]
        return cells[column] if column < len(cells) else ""

    def data(self, index: _ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row, column = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cell(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = (
                Qt.AlignmentFlag.AlignRight if column in self._numeric else Qt.AlignmentFlag.AlignLeft
            )
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltips[row] or None
        if role == Qt.ItemDataRole.ForegroundRole and column in self._warn[row]:
            return QColor(theme.SEVERITY_COLOURS[Severity.REFUSED].text)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._headers[section] if 0 <= section < len(self._headers) else None
        return None


class FigureTile(QFrame):
    """One big number with its caption."""

    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("figureTile")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet(
            f"#figureTile {{ background: {theme.CARD}; border: 1px solid {theme.LINE}; border-radius: 8px; }}"
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 10, 16, 10)
        self.value_label = QLabel(DASH)
        self.value_label.setFont(theme.font(26, bold=True))
        self.caption_label = QLabel(caption)
        self.caption_label.setProperty("role", "muted")
        self.caption_label.setStyleSheet(f"color: {theme.MUTED};")
        self.caption_label.setFont(theme.font(10.5))
        layout.addWidget(self.value_label)
        layout.addWidget(self.caption_label)

    def set_value(self, text: str, caption: str | None = None, colour: str | None = None) -> None:
        self.value_label.setText(text)
        self.value_label.setStyleSheet(f"color: {colour or theme.INK};")
        if caption is not None:
            self.caption_label.setText(caption)


def _section_title(text: str) -> QLabel:
    label = QLabel(text)
    label.setFont(theme.font(12, bold=True))
    return label


class DashboardPanel(QWidget):
    """Live figures of the event; refreshes itself, including after writes by other desks."""

    refreshed = Signal(object)  # the new Dashboard

    def __init__(
        self, context: DeskContext, parent: QWidget | None = None, *, refresh_ms: int = DEFAULT_REFRESH_MS
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._event = context.event
        self._dashboard: Dashboard | None = None
        self._loading = False
        self._load_started = 0.0
        self._quiet_until = 0.0
        self._last_full_minute: dt.datetime | None = None
        self._stale = False
        self._selected: dt.date = self._default_date()

        self._build()
        self.retranslate()
        self._timer = QTimer(self)
        self._timer.setInterval(refresh_ms)
        self._timer.timeout.connect(self._tick)
        self._timer.start()
        context.changes.changed.connect(self._on_changes)

    # ------------------------------------------------------------------ building
    def _default_date(self) -> dt.date:
        """The desk's working day (today, else the day chosen in the settings, else the next)."""
        settings = self._context.settings
        return resolve_working_day(self._event, self._context.clock(), settings.chosen_day()).date

    def _build(self) -> None:
        # On a 1024×600 screen the figures scroll rather than squeeze the chart into a strip.
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        page = QWidget()
        page.setMinimumHeight(MIN_CONTENT_HEIGHT)
        scroll.setWidget(page)
        frame = QVBoxLayout(self)
        frame.setContentsMargins(0, 0, 0, 0)
        frame.addWidget(scroll)
        outer = QVBoxLayout(page)
        outer.setContentsMargins(16, 12, 16, 12)
        outer.setSpacing(10)

        header = QHBoxLayout()
        self.title_label = title = QLabel()
        title.setFont(theme.font(16, bold=True))
        header.addWidget(title)
        header.addSpacing(16)
        self.day_label = QLabel()
        header.addWidget(self.day_label)
        self.day_combo = QComboBox()
        for day in self._event.days:
            self.day_combo.addItem(day.label or format_date(day.date))
        self.day_combo.setCurrentIndex(max(0, [d.date for d in self._event.days].index(self._selected)))
        self.day_combo.currentIndexChanged.connect(self._on_day_changed)
        header.addWidget(self.day_combo)
        header.addStretch(1)
        self.updated_label = QLabel("")
        self.updated_label.setStyleSheet(f"color: {theme.MUTED};")
        header.addWidget(self.updated_label)
        self.refresh_button = QPushButton()
        self.refresh_button.clicked.connect(lambda: self.refresh(force=True))
        header.addWidget(self.refresh_button)
        outer.addLayout(header)

        tiles = QHBoxLayout()
        self.registered_tile = FigureTile("")
        self.arrived_tile = FigureTile("")
        self.open_tile = FigureTile("")
        self.walk_in_tile = FigureTile("")
        for tile in (self.registered_tile, self.arrived_tile, self.open_tile, self.walk_in_tile):
            tile.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            tiles.addWidget(tile)
        outer.addLayout(tiles)
        self.conflicts_line = ConflictsLine()
        outer.addWidget(self.conflicts_line)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        chart_box = QWidget()
        chart_layout = QVBoxLayout(chart_box)
        chart_layout.setContentsMargins(0, 0, 0, 0)
        self.chart_title = _section_title("")
        chart_layout.addWidget(self.chart_title)
        self.chart = QChart()
        self.chart.legend().hide()
        self.chart.setMargins(QMargins(4, 4, 4, 4))
        self.chart.setBackgroundRoundness(6)
        self.chart_view = QChartView(self.chart)
        self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.chart_view.setMinimumHeight(200)
        chart_layout.addWidget(self.chart_view)
        self.chart_empty_label = QLabel()
        self.chart_empty_label.setStyleSheet(f"color: {theme.MUTED};")
        self.chart_empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        chart_layout.addWidget(self.chart_empty_label)
        splitter.addWidget(chart_box)

        days_box = QWidget()
        days_layout = QVBoxLayout(days_box)
        days_layout.setContentsMargins(0, 0, 0, 0)
        self.days_title = _section_title("")
        days_layout.addWidget(self.days_title)
        self.days_model = FiguresTableModel([""] * 5, {1, 2, 3, 4}, self)
        self.days_view = self._table(self.days_model)
        days_layout.addWidget(self.days_view)
        splitter.addWidget(days_box)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        outer.addWidget(splitter, 3)

        self.sessions_title = _section_title("")
        outer.addWidget(self.sessions_title)
        self.sessions_model = FiguresTableModel([""] * 9, {3, 4, 5, 6, 7, 8}, self)
        self.sessions_view = self._table(self.sessions_model)
        self.sessions_view.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        outer.addWidget(self.sessions_view, 4)

    def retranslate(self) -> None:
        """Set every text in the current language (called by the main window after a switch)."""
        self.title_label.setText(_("Dashboard"))
        self.day_label.setText(_("Day:"))
        self.refresh_button.setText(_("Refresh"))
        self.refresh_button.setToolTip(_("Recalculate all figures now"))
        self.registered_tile.caption_label.setText(_("registered for this day"))
        self.arrived_tile.caption_label.setText(_("arrived"))
        self.open_tile.caption_label.setText(_("still expected"))
        self.walk_in_tile.caption_label.setText(_("walk-ins (whole event)"))
        self._title_chart()
        self.chart_empty_label.setText(_("No arrivals on this day yet."))
        self.days_title.setText(_("Days"))
        self.days_model.set_headers(
            [_("Day"), _("Registered"), _("Arrived"), _("Still expected"), _("No-shows")]
        )
        self.sessions_title.setText(_("Programme"))
        self.sessions_model.set_headers(
            [
                _("Time"),
                _("Session"),
                _("Room"),
                _("Registered"),
                _("Attended"),
                _("Capacity"),
                _("Occupancy"),
                _("Still expected"),
                _("No-shows"),
            ]
        )
        if self._dashboard is not None:
            self._show(self._dashboard)

    def _table(self, model: FiguresTableModel) -> QTableView:
        view = QTableView()
        view.setModel(model)
        view.setAlternatingRowColors(True)
        view.setSelectionMode(QTableView.SelectionMode.NoSelection)
        view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        view.verticalHeader().hide()
        view.setShowGrid(False)
        view.setWordWrap(False)
        view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        view.horizontalHeader().setStretchLastSection(False)
        return view

    # ------------------------------------------------------------------ public
    @property
    def dashboard(self) -> Dashboard | None:
        """The figures currently shown (None before the first load)."""
        return self._dashboard

    @property
    def selected_date(self) -> dt.date:
        return self._selected

    def set_selected_date(self, date: dt.date) -> None:
        dates = [d.date for d in self._event.days]
        if date in dates:
            self.day_combo.setCurrentIndex(dates.index(date))

    def refresh(self, *, force: bool = False) -> None:
        """Reload in the background; without ``force`` only when something was written since."""
        if self._loading:
            return
        self._loading = True
        self._load_started = time.monotonic()
        db, event, now = self._context.db, self._event, self._context.clock()
        since: ChangeMarker | None = None if force or self._dashboard is None else self._dashboard.marker
        minute = now.replace(second=0, microsecond=0)
        if self._last_full_minute != minute:
            since = None  # time alone changes phases (still expected -> no-shows)
        self._context.tasks.run(
            lambda _progress: load_dashboard_if_changed(db, event, now, since),
            on_done=self._on_loaded,
            on_error=self._on_failed,
            title=_("Dashboard"),
            parent=self,
            quiet=True,
        )

    # ------------------------------------------------------------------ updating
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()

    def _on_changes(self, changes: Changes) -> None:
        if changes.figures:
            self._stale = True
            self._tick()

    def _tick(self) -> None:
        # A full load of a very large event takes a second or more of database time; keep
        # reloads from turning that into a constant load (at most a quarter of the time).
        if not self.isVisible() or self._loading or time.monotonic() < self._quiet_until:
            return
        minute = self._context.clock().replace(second=0, microsecond=0)
        if self._stale or minute != self._last_full_minute:
            self._stale = False
            self.refresh(force=True)

    def _on_loaded(self, dashboard: Dashboard | None) -> None:
        self._loading = False
        now = self._context.clock()
        if dashboard is not None:
            took = time.monotonic() - self._load_started
            self._quiet_until = time.monotonic() + min(MAX_QUIET_S, 3 * took)
            self._dashboard = dashboard
            self._last_full_minute = dashboard.computed_at.replace(second=0, microsecond=0)
            self._show(dashboard)
            self.refreshed.emit(dashboard)
        local = now.astimezone(self._event.tz)
        self.updated_label.setText(_("As of {time}").format(time=format_time(local, seconds=True)))
        self.updated_label.setStyleSheet(f"color: {theme.MUTED};")

    def _on_failed(self, error: BaseException) -> None:
        self._loading = False
        self.updated_label.setText(_("Figures could not be updated: {reason}").format(reason=error))
        self.updated_label.setStyleSheet(f"color: {theme.SEVERITY_COLOURS[Severity.REFUSED].text};")

    def _on_day_changed(self, index: int) -> None:
        if 0 <= index < len(self._event.days):
            self._selected = self._event.days[index].date
            if self._dashboard is not None:
                self._show(self._dashboard)

    def _day_text(self) -> str:
        return next(
            (d.label for d in self._event.days if d.date == self._selected and d.label),
            format_date(self._selected),
        )

    def _title_chart(self) -> None:
        self.chart_title.setText(_("Arrivals per 15 minutes on {day}").format(day=self._day_text()))

    def _show(self, dashboard: Dashboard) -> None:
        self._title_chart()
        self._show_tiles(dashboard.day(self._selected), dashboard)
        self._show_days(dashboard.days)
        self._show_sessions(dashboard.sessions_on(self._selected))
        self._show_chart(dashboard)
        self.conflicts_line.show_conflicts(dashboard.conflicts, self._event.tz)

    def _show_tiles(self, day: DayFigures | None, dashboard: Dashboard) -> None:
        if day is None:
            return
        self.registered_tile.set_value(_number(day.registered))
        self.arrived_tile.set_value(
            _number(day.arrived),
            _("arrived ({rate} of registered)").format(rate=_percent(day.arrival_rate))
            if day.arrival_rate is not None
            else _("arrived"),
        )
        if day.phase is Phase.OVER:
            self.open_tile.set_value(
                _number(day.no_shows), _("no-shows"), theme.SEVERITY_COLOURS[Severity.WARNING].text
            )
        else:
            self.open_tile.set_value(_number(day.still_expected), _("still expected"))
        self.walk_in_tile.set_value(_number(dashboard.walk_ins))

    def _show_days(self, days: Sequence[DayFigures]) -> None:
        rows = []
        tips = []
        for day in days:
            rows.append(
                (
                    f"{format_date(day.date)} ({_phase_text(day.phase)})",
                    _number(day.registered),
                    _number(day.arrived),
                    _number(day.still_expected),
                    _number(day.no_shows),
                )
            )
            tips.append(_("No-shows are counted once the day is over."))
        self.days_model.set_rows(rows, tips)
        # All five columns in view: the day table takes the width it needs from the chart.
        view = self.days_view
        view.resizeColumnsToContents()
        view.setMinimumWidth(view.horizontalHeader().length() + 2 * view.frameWidth() + 2)

    def _show_sessions(self, sessions: Sequence[SessionFigures]) -> None:
        self.sessions_title.setText(_("Programme on {day}").format(day=self._day_text()))
        rows = []
        warn = []
        for item in sessions:
            rows.append(
                (
                    _time_range(item.start, item.end),
                    item.title,
                    item.room,
                    _number(item.registered),
                    _number(item.attended),
                    _number(item.capacity),
                    _percent(item.occupancy),
                    _number(item.still_expected),
                    _number(item.no_shows),
                )
            )
            full = item.occupancy is not None and item.occupancy >= 1
            warn.append({4, 6} if full else set())
        self.sessions_model.set_rows(rows, warn=warn)

    def _show_chart(self, dashboard: Dashboard) -> None:
        slots = dashboard.arrivals_on(self._selected)
        self.chart.removeAllSeries()
        for axis in self.chart.axes():
            self.chart.removeAxis(axis)
        has_data = any(slot.count for slot in slots)
        self.chart_view.setVisible(has_data)
        self.chart_empty_label.setVisible(not has_data)
        if not has_data:
            return
        bars = QBarSet(_("Arrivals"))
        bars.setColor(QColor(theme.ACCENT))
        bars.setBorderColor(QColor(theme.ACCENT))
        for slot in slots:
            bars.append(slot.count)
        series = QBarSeries()
        series.setBarWidth(0.85)
        series.append(bars)
        self.chart.addSeries(series)
        # Bars sit at x = 0, 1, 2 ... (one per 15 minutes); a category axis puts a time label
        # at the left edge of every full hour (of every slot when there are few), so the
        # labels never get squeezed into "…" the way one label per bar would.
        axis_x = QCategoryAxis()
        axis_x.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
        axis_x.setRange(-0.5, len(slots) - 0.5)
        every_slot = len(slots) <= 8
        for position, slot in enumerate(slots):
            if every_slot or slot.start.minute == 0:
                axis_x.append(format_time(slot.start), position - 0.5)
        axis_x.setGridLineVisible(False)
        axis_y = QValueAxis()
        top = max(slot.count for slot in slots)
        axis_y.setRange(0, _nice_ceiling(top))
        axis_y.setLabelFormat("%d")
        axis_y.setTickCount(5)
        self.chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        self.chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(axis_x)
        series.attachAxis(axis_y)
        self.chart.setToolTip(
            "\n".join(f"{format_time(slot.start)}  {slot.count}" for slot in slots if slot.count)
        )
