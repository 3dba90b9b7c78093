"""The one network adapter: httpx behind probes and webhook delivery."""
