"""The window's actions in one table: the menus, the shortcuts and the F1 help are built from it.

Each row names the main window's method that handles it; ``needs`` names a module
that must be installed for the action to be offered (the optional dialogs) or the
dashboard. Texts are marked with ``N_`` and translated when shown.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from checkin.i18n import N_


@dataclass(frozen=True)
class ActionSpec:
    """One action of the main window.

    Attributes:
        id: the action's name (the window keeps it as ``act_<id>``).
        text: the menu text (untranslated, with its ``&`` accelerator).
        shortcut: the key sequence, or None.
        menu: the menu it sits in ("file", "people", "view", "help"), or None.
        handler: the name of the main window's method it calls, or ``"module:function"``: a function
            of a module loaded when first used, called with the window (views kept out of the window).
        help: its line in the F1 list of shortcuts (untranslated), or None for no line.
        needs: a module that must be importable for the action to exist, or None.
        separator_before: a separator line above it in its menu.
    """

    id: str
    text: str
    shortcut: str | None
    menu: str | None
    handler: str
    help: str | None = None
    needs: str | None = None
    separator_before: bool = False


IMPORT_WIZARD = ("checkin.ui.import_wizard", "ImportWizard")
EXPORT_DIALOG = ("checkin.ui.export_dialog", "ExportDialog")
BATCH_BADGES = ("checkin.ui.badge_dialogs", "BatchBadgeDialog")
BADGE_DESIGNER = ("checkin.ui.badge_designer", "BadgeDesignerDialog")
DASHBOARD = ("checkin.ui.dashboard_panel", "DashboardPanel")
GUEST_LIST = "checkin.ui.guest_list_view:open_guest_list"
QUEUE_DISPLAY = "checkin.ui.queue_display:choose_queue_screen"
# Run with the window once it is built (views that come back as they were left).
AT_START: tuple[str, ...] = ("checkin.ui.queue_display:restore_queue_display",)
PRETIX_DIALOG = ("checkin.ui.pretix_dialog", "PretixDialog")
PRETIX_CONNECTION = "checkin.ui.pretix_dialog:open_pretix_dialog"

MENUS: tuple[tuple[str, str], ...] = (
    ("file", N_("&File")),
    ("people", N_("&Participants")),
    ("view", N_("&View")),
    ("help", N_("&Help")),
)

# fmt: off
ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("import", N_("&Import registrations …"), "Ctrl+I", "file", "open_import", N_("Import"),
               needs=IMPORT_WIZARD[0]),
    ActionSpec("export", N_("&Export …"), "Ctrl+E", "file", "open_export", N_("Export"),
               needs=EXPORT_DIALOG[0]),
    ActionSpec("batch", N_("Print &badges (batch) …"), "Ctrl+B", "file", "open_batch_badges",
               N_("Print badges (batch)"), needs=BATCH_BADGES[0]),
    ActionSpec("new_event", N_("&New event …"), "Ctrl+Shift+N", "file", "new_event", N_("New event"),
               separator_before=True),
    ActionSpec("open_event", N_("Open event &file …"), "Ctrl+Shift+O", "file", "open_event_file",
               N_("Open event file")),
    ActionSpec("switch_event", N_("S&witch event …"), "Ctrl+Shift+E", "file", "choose_event",
               N_("Switch event")),
    ActionSpec("designer", N_("Badge &designer …"), "Ctrl+Shift+B", "file", "open_badge_designer",
               N_("Badge designer"), needs=BADGE_DESIGNER[0]),
    ActionSpec("pretix", N_("&pretix connection …"), "Ctrl+Shift+T", "file", PRETIX_CONNECTION,
               N_("pretix connection"), needs=PRETIX_DIALOG[0], separator_before=True),
    ActionSpec("settings", N_("&Settings …"), "Ctrl+,", "file", "open_settings", N_("Settings"),
               separator_before=True),
    ActionSpec("quit", N_("&Quit"), "Ctrl+Q", "file", "close", separator_before=True),
    ActionSpec("search", N_("&Search"), "F2", "people", "start_search", N_("Search")),
    ActionSpec("walk_in", N_("Register &walk-in …"), "Ctrl+N", "people", "open_walk_in", N_("Walk-in")),
    ActionSpec("print", N_("&Print badge"), "Ctrl+P", "people", "print_shown_badge", N_("Print badge")),
    ActionSpec("preview", N_("Badge pre&view …"), "Ctrl+Shift+P", "people", "preview_shown_badge",
               N_("Badge preview")),
    ActionSpec("person", N_("&Open person …"), "Ctrl+O", "people", "open_shown_person", N_("Open person")),
    ActionSpec("undo", N_("&Undo last check-in"), "Ctrl+Z", "people", "undo_last", N_("Undo last check-in")),
    ActionSpec("desk", N_("&Check-in desk"), "F4", "view", "show_desk", N_("Check-in desk")),
    ActionSpec("door", N_("&Workshop door"), "F6", "view", "show_door", N_("Workshop door")),
    ActionSpec("dashboard", N_("&Dashboard"), "F5", "view", "show_dashboard", N_("Dashboard"),
               needs=DASHBOARD[0]),
    ActionSpec("guest_list", N_("&Guest list …"), "F7", "view", GUEST_LIST, N_("Guest list"),
               separator_before=True),
    ActionSpec("queue_display", N_("Result window for the &queue …"), None, "view", QUEUE_DISPLAY),
    ActionSpec("focus", N_("Back to the scan &field"), "Esc", "view", "focus_scan_field", N_("Scan field"),
               separator_before=True),
    ActionSpec("kiosk", N_("Self-check-in &kiosk …"), None, "view", "open_kiosk", separator_before=True),
    ActionSpec("shortcuts", N_("&Keyboard shortcuts"), "F1", "help", "show_shortcuts"),
    ActionSpec("about", N_("&About checkin"), None, "help", "show_about"),
)
# fmt: on


def handler_target(window: Any, spec: ActionSpec) -> Callable[..., Any]:
    """The method or function an action calls (imports its module now; the menus import it later)."""
    if ":" not in spec.handler:
        return getattr(window, spec.handler)
    module, name = spec.handler.split(":", 1)
    return getattr(importlib.import_module(module), name)


def bound_handler(window: Any, spec: ActionSpec) -> Callable[[], Any]:
    """What the action calls: the window's method, or a module's function (imported when first used)."""
    if ":" not in spec.handler:
        return getattr(window, spec.handler)
    return lambda: handler_target(window, spec)(window)


def run_at_start(window: Any) -> None:
    """The ``AT_START`` functions, each called with the window just built."""
    for target in AT_START:
        module, name = target.split(":", 1)
        getattr(importlib.import_module(module), name)(window)
