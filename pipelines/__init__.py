"""Scrapy components that connect crawls to the extractor and storage, and count every outcome."""
