"""Sources and spiders: source files, their validation, and one Scrapy spider per source."""
