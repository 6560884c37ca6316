"""`celery -A fazhi_worker.celery_app worker -Q process`"""

from fazhi_shared.celery_base import make_celery
from fazhi_worker.config import get_settings

app = make_celery("worker", get_settings())
app.conf.include = ["fazhi_worker.tasks"]
