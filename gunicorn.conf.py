"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py 'coordinator:create_app()'`.

Every value can be overridden from the environment, so one file serves every host.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Restart workers now and then so that a slow leak can never grow without bound.
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
# Paths with secret tokens (answer links, password reset, opt-out) are logged redacted.
logger_class = "coordinator.access_log.RedactingLogger"
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
