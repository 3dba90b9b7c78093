"""Production health without I/O: probe readings, baselines, triggers."""
