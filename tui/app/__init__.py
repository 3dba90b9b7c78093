"""The Textual app: screens, widgets, modals and app.tcss."""
