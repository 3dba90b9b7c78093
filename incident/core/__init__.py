"""The core of the domain: events, the hash chain, the state fold, clocks, text rules."""
