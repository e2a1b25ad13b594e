"""Storage: the cleaned, attributed database downstream sites read (SQLAlchemy 2 + Alembic).

Never imports Scrapy or parses HTML: it stores `Article` records and raw pages it is given.
"""
