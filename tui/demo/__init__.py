"""The demo: a shop with a bad release on loopback, its script and scenarios."""
