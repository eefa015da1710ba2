"""Preferences the user changes often: language, theme, time zone, notifications. They apply
at once (the language switch retranslates every open window, a new time zone redraws them)
and are saved to the config file."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from viva_desktop.ui.common.context import AppContext
from viva_desktop.ui.common.retranslate import Retranslating
from viva_desktop.ui.common.timefmt import set_time_zone, time_zone_choices
from viva_desktop.ui.common.translations import choose_language

LANGUAGE_CHOICES = ("system", "en", "es")
THEME_CHOICES = ("system", "light", "dark")


class SettingsDialog(Retranslating, QDialog):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("SettingsDialog")
        self.context = context
        ui = context.settings.ui
        self.language = QComboBox()
        self.language.setObjectName("language")
        for code in LANGUAGE_CHOICES:
            self.language.addItem("", code)
        self.language.setCurrentIndex(LANGUAGE_CHOICES.index(ui.language))
        self.theme = QComboBox()
        self.theme.setObjectName("theme")
        for code in THEME_CHOICES:
            self.theme.addItem("", code)
        self.theme.setCurrentIndex(THEME_CHOICES.index(ui.theme))
        self.time_zone = QComboBox()
        self.time_zone.setObjectName("time_zone")
        for zone in time_zone_choices():
            self.time_zone.addItem(zone, zone)
        self.time_zone.setCurrentIndex(max(0, self.time_zone.findData(ui.time_zone)))
        self.health_notify = QCheckBox()
        self.health_notify.setChecked(context.settings.health.notify)
        self.muted = QCheckBox()
        self.muted.setChecked(context.settings.health.muted)
        self.note = QLabel()
        self.note.setObjectName("Muted")
        self.note.setWordWrap(True)

        self.form = QFormLayout()
        self._language_label = QLabel()
        self._theme_label = QLabel()
        self._time_zone_label = QLabel()
        self.form.addRow(self._language_label, self.language)
        self.form.addRow(self._theme_label, self.theme)
        self.form.addRow(self._time_zone_label, self.time_zone)
        self.form.addRow("", self.health_notify)
        self.form.addRow("", self.muted)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok
            | QDialogButtonBox.StandardButton.Cancel
            | QDialogButtonBox.StandardButton.Apply
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        apply_button = self.buttons.button(QDialogButtonBox.StandardButton.Apply)
        apply_button.clicked.connect(self.apply)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.note)
        layout.addWidget(self.buttons)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Settings"))
        self._language_label.setText(self.tr("Language:"))
        self._theme_label.setText(self.tr("Theme:"))
        self._time_zone_label.setText(self.tr("Times shown in:"))
        self.time_zone.setItemText(0, self.tr("This computer's time zone"))
        self.time_zone.setToolTip(
            self.tr(
                "Every date and time in the app uses this zone; when it is not this "
                "computer's, its name follows the time."
            )
        )
        languages = {
            "system": self.tr("Same as the system"),
            "en": "English",
            "es": "Español",
        }
        for index, code in enumerate(LANGUAGE_CHOICES):
            self.language.setItemText(index, languages[code])
        themes = {
            "system": self.tr("Follow the system"),
            "light": self.tr("Light"),
            "dark": self.tr("Dark"),
        }
        for index, code in enumerate(THEME_CHOICES):
            self.theme.setItemText(index, themes[code])
        self.health_notify.setText(self.tr("Notify me when the server's health changes"))
        self.muted.setText(self.tr("Mute all notifications"))
        self.note.setText(
            self.tr(
                "Other settings (servers, store, logging, error reports) are on the "
                "Configuration page."
            )
        )

    def apply(self) -> None:
        context = self.context
        language = str(self.language.currentData())
        theme = str(self.theme.currentData())
        zone = str(self.time_zone.currentData())
        ui = context.settings.ui
        zone_changed = ui.time_zone != zone
        changed = (
            ui.language != language
            or ui.theme != theme
            or zone_changed
            or context.settings.health.notify != self.health_notify.isChecked()
            or context.settings.health.muted != self.muted.isChecked()
        )
        ui.language = language  # type: ignore[assignment]
        ui.theme = theme  # type: ignore[assignment]
        ui.time_zone = zone
        if zone_changed:
            set_time_zone(zone)
            redraw_times()
        context.settings.health.notify = self.health_notify.isChecked()
        context.settings.health.muted = self.muted.isChecked()
        if context.translations is not None:
            context.translations.set_language(choose_language(language))
        if context.theme is not None:
            context.theme.set_theme(theme)
        if changed:
            context.save_settings()

    def accept(self) -> None:
        self.apply()
        super().accept()


def redraw_times() -> None:
    """Every open window says its texts again, times included (as after a language change)."""
    for widget in QApplication.topLevelWidgets():
        QCoreApplication.sendEvent(widget, QEvent(QEvent.Type.LanguageChange))
