"""`celery -A fazhi_alerts.celery_app worker -Q alerts,deliver`"""

from fazhi_alerts.config import get_settings
from fazhi_shared.celery_base import make_celery

app = make_celery("alerts", get_settings())
app.conf.include = ["fazhi_alerts.tasks"]
