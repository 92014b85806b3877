"""The charter's own pages, for anyone: home, the charter and its PDF, robots.txt and the
health check. The project package files (settings, urls, celery, wsgi) stay at ``charter/``."""
