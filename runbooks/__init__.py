"""Runbooks: the model, the loaders and the bundled runbook files."""
