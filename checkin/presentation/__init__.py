"""Words for facts: the one Qt-free place that turns domain results into sentences.

``formats`` writes dates, times and numbers for the chosen language; it imports
nothing of checkin but ``checkin.i18n``, so every layer (the domain's error
messages included) may use it. ``verdict_text`` turns check-in results (kinds
and values from ``checkin.domain.verdicts``) into sentences for the window, the
CLI and the exports. Nothing here imports Qt, ``checkin.ui``, ``checkin.io`` or
``checkin.badges`` (an import-linter contract in ``pyproject.toml`` says so).
"""
