"""The pages and dialogs as a new user reads them, in English and Spanish: every page fits a
laptop window, numbers in the user's format, no emoji the font may lack, summaries that wrap
instead of holding the window wide, empty tables that say what to do, a lone health sample
that can be seen, and forms labelled like the rest of the application."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSplitter

from viva_desktop.services.common.report import AuditReport
from viva_desktop.services.monitoring.health import HealthSample, HealthState
from viva_desktop.ui import pages as registry
from viva_desktop.ui.admin.health_chart import HealthChart
from viva_desktop.ui.admin.report_view import AuditReportView
from viva_desktop.ui.dialogs.conflict import field_label
from viva_desktop.ui.editors.content import OfferEditor
from viva_desktop.ui.editors.decisions import VoteDialog
from viva_desktop.ui.pages.credits import CreditsPage

from .conftest import build

ROOM = 1200 - 240  # a 1200-pixel window less the sidebar


@pytest.mark.parametrize("key", [spec.key for spec in registry.pages()])
def test_every_page_fits_a_laptop_window_in_spanish(qtbot, offline, translations, key) -> None:
    translations.set_language("es")
    page = build(qtbot, offline, key, width=ROOM)
    assert page.minimumSizeHint().width() <= ROOM, f"{key} holds the window wider"


@pytest.mark.parametrize("key", ["communities", "sync"])
def test_the_panes_one_above_the_other_never_collapse(qtbot, offline, key) -> None:
    """A handle dragged to the edge would otherwise hide a pane with no sign it is there."""
    page = build(qtbot, offline, key)
    [split] = [
        s for s in page.findChildren(QSplitter) if s.orientation() == Qt.Orientation.Vertical
    ]
    assert split.count() == 2
    assert not split.childrenCollapsible()


def test_the_balance_names_the_level_without_the_servers_emoji(qtbot, offline) -> None:
    page = build(qtbot, offline, "credits")
    assert isinstance(page, CreditsPage)
    level = SimpleNamespace(level=6, name="Líder", badge="🌳")
    page._show_balance(SimpleNamespace(balance=12500, level=level, next_level=None, progress=None))
    assert page.balance.text() == "Your balance: 12,500 credits · level 6, Líder"
    assert "🌳" not in page.balance.text()


def test_the_balance_in_spanish(qtbot, offline, translations) -> None:
    translations.set_language("es")
    page = build(qtbot, offline, "credits")
    level = SimpleNamespace(level=2, name="Vecino", badge="🌱")
    page._show_balance(SimpleNamespace(balance=1, level=level, next_level=None, progress=None))
    assert page.balance.text() == "Tu saldo: 1 crédito · nivel 2, Vecino"


def test_the_summary_wraps_to_the_width_each_icon_beside_its_own_text(qtbot) -> None:
    view = AuditReportView()
    qtbot.addWidget(view)
    labels = {f"k{i}": f"A rather long summary item number {i}" for i in range(8)}
    view.show_report(AuditReport([], {k: i % 2 == 0 for i, k in enumerate(labels)}), labels)
    view.resize(1600, 400)
    view.show()
    qtbot.waitUntil(lambda: view._summary_columns == 4, timeout=2000)
    view.resize(420, 400)
    qtbot.waitUntil(lambda: view._summary_columns < 4, timeout=2000)
    assert view.minimumSizeHint().width() < 420
    for key in labels:
        cell, text = view.summary_items[key]
        layout = cell.layout()
        assert isinstance(layout, QHBoxLayout)
        glyph = layout.itemAt(0).widget()
        assert isinstance(glyph, QLabel)
        assert not glyph.pixmap().isNull()
        assert not glyph.text()
        assert layout.itemAt(1).widget() is text  # the icon comes right before its own text


def test_smoke_and_database_tables_say_what_to_do_when_empty(qtbot, offline) -> None:
    smoke = build(qtbot, offline, "smoke")
    assert smoke.empty_state.isVisible()
    assert "Run checks" in smoke.empty_state.text()
    database = build(qtbot, offline, "database")
    state = database.empty_states[database.connections_table]
    assert state.isVisible()
    assert state.text() == "Connect above to read the server's statistics."


def test_a_single_health_sample_is_a_visible_dot_away_from_the_edge(qtbot) -> None:
    chart = HealthChart()
    qtbot.addWidget(chart)
    now = datetime.now(UTC)
    sample = HealthSample("p", now, HealthState.HEALTHY, http_latency_ms=42.0, db_latency_ms=3)
    chart.set_samples([sample], now, timedelta(hours=1), timedelta(minutes=10))
    assert chart.latency_series.pointsVisible()
    assert chart.latency_series.count() == 1
    assert chart.latency_series.markerSize() >= 8
    assert chart.axis_time.max().toMSecsSinceEpoch() > int(now.timestamp() * 1000)


def test_the_live_charts_time_axis_reads_the_chosen_time_zone(qtbot) -> None:
    """The axis labels in this computer's zone; a sample at 12:00 UTC shown with the zone set
    to New York reads 07:00 there, as the tables beside the chart do."""
    from PySide6.QtCore import QDateTime

    from viva_desktop.ui.common.timefmt import set_time_zone, time_zone_name

    chart = HealthChart()
    qtbot.addWidget(chart)
    moment = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
    sample = HealthSample("p", moment, HealthState.HEALTHY, http_latency_ms=42.0)
    before = time_zone_name()
    try:
        for zone, wall in (("America/New_York", "07:00"), ("UTC", "12:00")):
            set_time_zone(zone)
            chart.set_samples([sample], moment, timedelta(hours=1), timedelta(minutes=10))
            x = chart.latency_series.at(0).x()
            assert QDateTime.fromMSecsSinceEpoch(int(x)).toString("HH:mm") == wall
    finally:
        set_time_zone(before)


def test_dashboard_memory_uses_the_locales_digit_grouping(qtbot, offline) -> None:
    page = build(qtbot, offline, "dashboard")
    sample = HealthSample(
        "p",
        datetime.now(UTC),
        HealthState.HEALTHY,
        system_free_mb=23437,
        system_total_mb=24106,
        heap_used_mb=214,
        heap_total_mb=1003,
    )
    page._render_values(sample)
    assert page._rows["host_memory"][1].text() == "23,437 of 24,106 MB"


def test_editor_labels_end_with_a_colon_like_the_other_forms(qtbot, offline, translations) -> None:
    editor = OfferEditor(offline, None)
    qtbot.addWidget(editor)
    assert editor.fields["title"].label.text() == "Title:"
    assert editor.fields["title"].title == "Title"
    translations.set_language("es")
    qtbot.waitUntil(lambda: editor.fields["title"].label.text() == "Título:", timeout=2000)


def test_the_vote_dialog_speaks_the_users_language(qtbot, offline, translations) -> None:
    case = {
        "id": "case-1",
        "contentType": "POST",
        "reportReason": "Spam",
        "deadline": (datetime.now(UTC) + timedelta(days=1)).isoformat(),
        "stats": {"keep": 0, "remove": 2, "warn": 0, "total": 2, "quorum": 5},
    }
    translations.set_language("es")
    dialog = VoteDialog(offline, case)
    qtbot.addWidget(dialog)
    shown = [dialog.details.itemAt(i).widget().text() for i in range(dialog.details.count())]
    assert "Mantener: 0 · Retirar: 2 · Advertir: 0 · 2 de 5 votos" in shown
    assert "REMOVE" not in dialog.intro.text()
    assert "«Retirar»" in dialog.intro.text()


def test_conflicting_fields_are_named_for_people(translations) -> None:
    assert field_label("priceEur") == "Price (€)"
    assert field_label("someNewField") == "someNewField"
    translations.set_language("es")
    assert field_label("startsAt") == "Empieza"


def next_tab_stop(widget):
    """The widget Tab moves to from `widget` (internal, unfocusable children skipped)."""
    from PySide6.QtCore import Qt

    candidate = widget.nextInFocusChain()
    while not candidate.focusPolicy() & Qt.FocusPolicy.TabFocus:
        candidate = candidate.nextInFocusChain()
    return candidate


def test_tab_in_the_sign_in_dialog_follows_the_reading_order(qtbot, context) -> None:
    from viva_desktop.ui.dialogs.login import LoginDialog

    dialog = LoginDialog(context)
    qtbot.addWidget(dialog)
    assert next_tab_stop(dialog.email) is dialog.password
    assert next_tab_stop(dialog.password) is dialog.code
    assert next_tab_stop(dialog.code) is dialog.offline_button
    assert next_tab_stop(dialog.offline_button) is dialog.cancel_button
    assert next_tab_stop(dialog.cancel_button) is dialog.sign_in_button
