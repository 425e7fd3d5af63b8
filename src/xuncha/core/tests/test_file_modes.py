"""The data directory, the SQLite database and the uploads are the service account's alone, and
``xuncha check`` reports them when they are not. Each test starts the application in a fresh process
with its own data directory, as a new installation would."""

import os
import stat
import subprocess
import sys
from pathlib import Path

CREATE = """
import django
django.setup()
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE probe (x integer)")
    cursor.execute("INSERT INTO probe VALUES (1)")
default_storage.save("petitions/2026/note.txt", ContentFile(b"x"))
"""


def _run(var: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}  # SQLite under var
    env |= {"XUNCHA_VAR_DIR": str(var), "DJANGO_SETTINGS_MODULE": "xuncha.settings_test"}
    result = subprocess.run([sys.executable, *args], env=env, capture_output=True, text=True, check=False)  # noqa: S603
    assert result.returncode == 0, result.stderr
    return result


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_installation_creates_private_files(tmp_path):
    var = tmp_path / "var"
    _run(var, "-c", CREATE)
    media = var / "media"
    assert _mode(var) == _mode(media) == _mode(media / "petitions" / "2026") == 0o700
    database = {path.name: _mode(path) for path in var.glob("xuncha.sqlite3*")}  # with -wal and -shm
    assert "xuncha.sqlite3" in database and set(database.values()) == {0o600}
    assert _mode(media / "petitions" / "2026" / "note.txt") == 0o600


def test_check_reports_what_others_can_read(tmp_path):
    var = tmp_path / "var"
    (var / "media").mkdir(parents=True)
    (var / "xuncha.sqlite3").touch()
    for path, mode in ((var, 0o755), (var / "media", 0o750), (var / "xuncha.sqlite3", 0o644)):
        path.chmod(mode)
    reported = _run(var, "-m", "xuncha.cli", "check").stderr
    assert reported.count("xuncha.W001") == 3
    assert f"{var} 可被其他账号访问（权限 755）" in reported
    assert f"chmod -R go-rwx {var / 'media'}" in reported
    for path in (var, var / "media", var / "xuncha.sqlite3"):
        path.chmod(0o700)
    assert "xuncha.W001" not in _run(var, "-m", "xuncha.cli", "check").stderr
