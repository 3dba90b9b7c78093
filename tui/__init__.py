"""The face of lastgood: the command line and the Textual app."""
