"""The local news site: saved real pages, feeds and sitemaps on 127.0.0.1, for tests, the demo and benchmarks."""
