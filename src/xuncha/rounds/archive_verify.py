"""Checking an archive package (``xuncha archive verify PACKAGE``): the zip as downloaded, or the folder it
was unpacked into. Every file's SHA-256 is recomputed against the manifest; the manifest's own hash
against ``manifest.sha256`` and, when this system archived it, against the hash its archiving event
recorded in the signed audit chain (so a manifest rewritten to match changed files is caught too). Every
problem is one Chinese line naming the file."""

import hashlib
import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from xuncha.core.models import AuditEvent

from .archive_package import MANIFEST, MANIFEST_HASH


@dataclass
class Verdict:
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    checked: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def _read(package: Path) -> dict[str, bytes]:
    if package.is_dir():
        return {
            path.relative_to(package).as_posix(): path.read_bytes()
            for path in sorted(package.rglob("*"))
            if path.is_file()
        }
    with zipfile.ZipFile(io.BytesIO(package.read_bytes())) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist() if not info.is_dir()}


def _manifest_problems(files: dict[str, bytes], manifest: bytes, verdict: Verdict) -> None:
    digest = hashlib.sha256(manifest).hexdigest()
    recorded = files.get(MANIFEST_HASH)
    if recorded is None:
        verdict.problems.append(f"缺少清单校验文件 {MANIFEST_HASH}")
    elif recorded.decode(errors="replace").split()[:1] != [digest]:
        verdict.problems.append(f"清单文件 {MANIFEST} 已被改动（与 {MANIFEST_HASH} 不符）")
    built = AuditEvent.objects.filter(action="archive_package.built")
    if built.filter(details__manifest_sha256=digest).exists():
        verdict.notes.append("清单与本系统审计记录中的归档记录一致。")
    elif built.exists():
        verdict.problems.append(f"清单文件 {MANIFEST} 与本系统的归档记录不符（审计记录中没有此清单）")
    else:
        verdict.notes.append("本系统没有归档记录，清单仅与 manifest.sha256 比对。")


def verify(package: Path) -> Verdict:
    verdict = Verdict()
    try:
        files = _read(package)
    except (OSError, zipfile.BadZipFile) as exc:
        verdict.problems.append(f"无法读取材料包 {package}：{exc}")
        return verdict
    manifest = files.get(MANIFEST)
    if manifest is None:
        verdict.problems.append(f"缺少清单文件 {MANIFEST}")
        return verdict
    _manifest_problems(files, manifest, verdict)
    try:
        data = json.loads(manifest)
        listed = {entry["path"]: entry["sha256"] for entry in [*data["files"], *data["catalogue"]]}
    except (ValueError, KeyError, TypeError):
        verdict.problems.append(f"清单文件 {MANIFEST} 无法解析")
        return verdict
    for path, sha256 in listed.items():
        body = files.get(path)
        if body is None:
            verdict.problems.append(f"缺少文件：{path}")
        elif hashlib.sha256(body).hexdigest() != sha256:
            verdict.problems.append(f"文件已被改动：{path}")
        else:
            verdict.checked += 1
    for path in sorted(set(files) - set(listed) - {MANIFEST, MANIFEST_HASH}):
        verdict.problems.append(f"清单未列的多余文件：{path}")
    return verdict
