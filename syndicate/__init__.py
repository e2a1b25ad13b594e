"""syndicate: the application (CLI, settings, Scrapy settings, scheduler, feeds/API)."""
