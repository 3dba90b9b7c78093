"""The application layer: each use case once, called by every face."""
