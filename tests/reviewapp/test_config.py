import pytest
from django.core.exceptions import ImproperlyConfigured

from reviewapp import config


def test_bool_rejects_words_that_are_not_yes_or_no():
    with pytest.raises(ImproperlyConfigured, match="DEBUG='maybe'"):
        config.env_bool("DEBUG", environ={"DEBUG": "maybe"})
    assert config.env_bool("DEBUG", environ={"DEBUG": "on"}) is True
    assert config.env_bool("DEBUG", environ={}) is False


def test_secret_key_required_outside_debug():
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY must be set"):
        config.secret_key(debug=False, environ={})
    with pytest.raises(ImproperlyConfigured, match="at least 50"):
        config.secret_key(debug=False, environ={"SECRET_KEY": "short"})
    assert config.secret_key(debug=True, environ={})


def test_database_url_must_have_a_known_scheme():
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        config.env_url("DATABASE_URL", ("postgres",), environ={"DATABASE_URL": "mysql://x@y/z"})
    assert config.env_url("DATABASE_URL", ("postgres",), environ={}) is None


def test_int_setting_must_be_positive():
    with pytest.raises(ImproperlyConfigured, match="UPLOAD_MAX_MEGABYTES='-3'"):
        config.env_int("UPLOAD_MAX_MEGABYTES", 10, environ={"UPLOAD_MAX_MEGABYTES": "-3"})


def test_start_up_with_bad_setting_names_the_variable(tmp_path):
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        env={"PATH": "/usr/bin:/bin", "DEBUG": "perhaps", "VAR_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        cwd=config.__file__.rsplit("/reviewapp/", 1)[0],
    )
    assert result.returncode != 0
    assert "DEBUG='perhaps'" in result.stderr
    assert "Traceback" not in result.stderr


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    import subprocess
    import sys

    env = {
        "PATH": "/usr/bin:/bin",
        "SECRET_KEY": "a-production-secret-key-that-is-long-enough-0123456789-abcdef",
        "ALLOWED_HOSTS": "reviews.example.org",
        "VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        cwd=config.__file__.rsplit("/reviewapp/", 1)[0],
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNINGS" not in result.stdout + result.stderr
