"""Settings: idle minutes, practice profile and sync server, checked and saved."""

from __future__ import annotations

from iro_desktop.settings import Settings
from iro_desktop.ui import dialogs


def test_applying_settings_saves_them_and_updates_the_window(unlocked):
    unlocked.show_page("settings")
    page = unlocked.page("settings")
    assert not page.apply_button.isEnabled()
    page.idle.setValue(12)
    page.profile.setCurrentIndex(page.profile.findData("cheshire_east"))
    page.server.setText("https://sync.example.invalid")
    assert page.apply_button.isEnabled()
    page.apply_button.click()
    assert page.note.text() == "Settings saved."
    assert unlocked.idle.timer.interval() == 12 * 60_000
    assert "Cheshire East" in unlocked.profile_label.text()
    saved = Settings.load(unlocked.paths.settings)
    assert (saved.idle_lock_minutes, saved.profile, saved.server_url) == (
        12,
        "cheshire_east",
        "https://sync.example.invalid",
    )
    assert page.drafts() == {}


def test_an_unencrypted_server_address_is_refused_by_name(unlocked):
    unlocked.show_page("settings")
    page = unlocked.page("settings")
    page.server.setText("http://sync.example.invalid")
    page.apply_button.click()
    shown = dialogs.last("error")
    assert shown is not None and "http://sync.example.invalid" in shown.text
    assert Settings.load(unlocked.paths.settings).server_url == ""
    assert page.is_dirty()  # what was typed stays, to correct


def test_undo_puts_the_saved_values_back(unlocked):
    unlocked.show_page("settings")
    page = unlocked.page("settings")
    page.idle.setValue(30)
    page.revert_button.click()
    assert page.idle.value() == 5
    assert not page.is_dirty()


def test_settings_menu_opens_the_page_on_the_chosen_field(unlocked):
    from PySide6.QtWidgets import QApplication

    unlocked._open_settings("server")
    assert unlocked.current_page() is unlocked.page("settings")
    assert QApplication.focusWidget() is unlocked.page("settings").server


def test_the_iros_phone_and_email_for_letters_are_set_here(unlocked):
    unlocked.show_page("settings")
    page = unlocked.page("settings")
    page.phone.setText("0161 496 0999")
    page.email.setText("not an email")
    page.apply_button.click()
    shown = dialogs.last("error")
    assert shown is not None and "email" in shown.text.lower()
    page.email.setText("ada.example@council.example")
    page.apply_button.click()
    assert page.note.text() == "Settings saved."
    user = unlocked.session.user
    assert (user["phone"], user["email"]) == ("0161 496 0999", "ada.example@council.example")
