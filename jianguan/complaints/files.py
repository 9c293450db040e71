"""Evidence files: what a consumer may upload, checked by content (magic bytes), never by the name alone.

Pure Python (no Django) so it is quick to test. A file passes when its first bytes are those of an allowed type
and its extension belongs to that type: an ``.exe`` renamed ``photo.jpg`` is refused, and so is a real JPEG named
``photo.pdf`` (a mismatch is how disguised files look).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass


@dataclass(frozen=True)
class FileType:
    label: str
    content_type: str
    extensions: tuple[str, ...]


JPEG = FileType("JPEG 图片", "image/jpeg", (".jpg", ".jpeg"))
PNG = FileType("PNG 图片", "image/png", (".png",))
PDF = FileType("PDF 文档", "application/pdf", (".pdf",))
MP3 = FileType("MP3 录音", "audio/mpeg", (".mp3",))
DOCX = FileType("Word 文档", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",))
ALLOWED = (JPEG, PNG, PDF, MP3, DOCX)
ALLOWED_EXTENSIONS = tuple(ext for t in ALLOWED for ext in t.extensions)
ACCEPT_ATTR = ",".join(ALLOWED_EXTENSIONS)


class FileRefused(ValueError):
    """The file may not be stored; ``str(exc)`` says why, in Chinese."""


def sniff(head: bytes, data_for_zip=None) -> FileType | None:
    """The allowed type whose signature ``head`` (the first bytes) carries, or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return MP3
    if head.startswith(b"PK\x03\x04") and data_for_zip is not None:
        # A .docx is a zip with word/document.xml; any other zip (an archive hiding an executable) is refused.
        try:
            with zipfile.ZipFile(data_for_zip) as zf:
                if "word/document.xml" in zf.namelist():
                    return DOCX
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
    return None


def extension_of(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:].lower() if dot > 0 else ""


def check(name: str, stream, size: int, max_bytes: int) -> FileType:
    """The type of an uploaded file, or ``FileRefused`` with the reason. ``stream`` is rewound afterwards."""
    if size > max_bytes:
        raise FileRefused(f"文件「{name}」大小 {size / 1048576:.1f} MB，超过上限 {max_bytes / 1048576:.0f} MB")
    if size == 0:
        raise FileRefused(f"文件「{name}」是空文件")
    ext = extension_of(name)
    if ext not in ALLOWED_EXTENSIONS:
        allowed = "、".join(ALLOWED_EXTENSIONS)
        raise FileRefused(f"文件「{name}」的类型不允许上传，仅接受 {allowed}")
    stream.seek(0)
    head = stream.read(16)
    stream.seek(0)
    data_for_zip = None
    if head.startswith(b"PK\x03\x04"):
        data_for_zip = stream if hasattr(stream, "seekable") and stream.seekable() else io.BytesIO(stream.read())
    kind = sniff(head, data_for_zip)
    stream.seek(0)
    if kind is None or ext not in kind.extensions:
        raise FileRefused(f"文件「{name}」的内容与扩展名不符（不是真正的{_expected(ext)}），已拒收")
    return kind


def _expected(ext: str) -> str:
    for t in ALLOWED:
        if ext in t.extensions:
            return t.label
    return "允许的文件"
