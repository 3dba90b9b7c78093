"""Stakeholder communication without I/O: templates, routing, due messages."""
