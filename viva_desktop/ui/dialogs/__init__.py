"""The dialogs: sign-in, profiles, settings, store problems, conflicts and the one error dialog."""
