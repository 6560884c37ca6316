"""`celery -A fazhi_indexer.celery_app worker -Q index --pool threads` (one process only).

The embedded engine allows one writer: run exactly one indexer process. Its threads hand
documents to one committer, so many tasks share each commit.
"""

from fazhi_indexer.config import get_settings
from fazhi_shared.celery_base import make_celery

app = make_celery("indexer", get_settings())
app.conf.include = ["fazhi_indexer.tasks"]
# Threads wait together on one commit; they need messages in hand to form a batch.
app.conf.worker_prefetch_multiplier = 4
