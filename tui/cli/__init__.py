"""The command line: parser, verbs, safe output."""
