"""Settings for the test suite: the project's settings with test-only defaults.

DATABASE_URL and REDIS_URL pass through, so the same suite runs on PostgreSQL and Redis.
Tasks run in-process except in tests marked ``integration``, which start a real worker.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-" + "x" * 40)
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("VAR_DIR", os.path.join(os.path.dirname(__file__), "..", "var", "test"))

from reviewapp.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The fault tests turn this off to publish to a (dead) broker from a subprocess.
CELERY_TASK_ALWAYS_EAGER = os.environ.get("CELERY_TASK_ALWAYS_EAGER", "1") != "0"
MEDIA_ROOT = VAR_DIR / "media"  # noqa: F405
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
AXES_ENABLED = True
