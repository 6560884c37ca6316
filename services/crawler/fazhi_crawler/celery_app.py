"""`celery -A fazhi_crawler.celery_app worker -Q crawl` and `… beat` (one beat only)."""

from fazhi_crawler.config import get_settings
from fazhi_shared.celery_base import make_celery

app = make_celery("crawler", get_settings())
app.conf.include = ["fazhi_crawler.tasks"]
