"""Checks of an uploaded file before anything is stored: its size and its real type, read from its first bytes
(magic numbers) and never from the name or the browser's Content-Type alone.

Two checks the sector registers share (equipment, sampling, metrology):

- ``check_image`` — a photo: JPEG or PNG by content, the extension agreeing with the content (a renamed
  executable, an HTML page called ``photo.jpg`` or a real JPEG named ``photo.png`` is refused);
- ``check_xlsx`` — an Excel register: a zip that holds ``xl/workbook.xml`` (an old ``.xls``, a CSV renamed
  ``.xlsx`` or any other zip is refused before openpyxl opens it).

Each raises ``UploadRefused`` (a ``ValidationFailed`` with the form field) whose message names the file and says,
in Chinese, what is wrong and what is accepted.
"""

from __future__ import annotations

import io
import zipfile

from jianguan.core.errors import ValidationFailed

IMAGE_TYPES = {
    # kind: (label, magic prefixes, extensions, content type)
    "jpeg": ("JPEG 图片", (b"\xff\xd8\xff",), (".jpg", ".jpeg"), "image/jpeg"),
    "png": ("PNG 图片", (b"\x89PNG\r\n\x1a\n",), (".png",), "image/png"),
}


class UploadRefused(ValidationFailed):
    """The file may not be stored; ``message`` says why in Chinese."""


def _name(upload) -> str:
    return (getattr(upload, "name", "") or "上传的文件").replace("\\", "/").rsplit("/", 1)[-1][:200]


def _size(upload) -> int:
    size = getattr(upload, "size", None)
    if size is None:
        pos = upload.tell()
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
        upload.seek(pos)
    return int(size)


def size_text(n: int) -> str:
    return f"{n / 1048576:.1f} MB" if n >= 1048576 else f"{max(n, 1) / 1024:.0f} KB"


def _check_size(upload, name: str, max_bytes: int, field: str) -> int:
    size = _size(upload)
    if size == 0:
        raise UploadRefused(f"文件「{name}」是空文件", details=[{"field": field, "message": "空文件"}])
    if size > max_bytes:
        raise UploadRefused(f"文件「{name}」大小 {size_text(size)}，超过上限 {size_text(max_bytes)}",
                            details=[{"field": field, "message": f"文件超过 {size_text(max_bytes)}"}])
    return size


def _head(upload, n: int = 16) -> bytes:
    upload.seek(0)
    head = upload.read(n)
    upload.seek(0)
    return head


def image_kind(head: bytes) -> str | None:
    for kind, (_label, magics, _ext, _ct) in IMAGE_TYPES.items():
        if any(head.startswith(m) for m in magics):
            return kind
    return None


def check_image(upload, *, max_bytes: int, field: str = "photo") -> str:
    """The kind (``jpeg``/``png``) of a photo, or ``UploadRefused``. The stream is rewound afterwards."""
    name = _name(upload)
    _check_size(upload, name, max_bytes, field)
    kind = image_kind(_head(upload))
    if kind is None:
        raise UploadRefused(f"文件「{name}」不是 JPEG 或 PNG 照片（按文件内容识别），只能上传照片",
                            details=[{"field": field, "message": "只能上传 JPEG 或 PNG 照片"}])
    ext = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    if ext not in IMAGE_TYPES[kind][2]:
        raise UploadRefused(f"文件「{name}」的扩展名与内容（{IMAGE_TYPES[kind][0]}）不符，疑为伪装文件，已拒绝",
                            details=[{"field": field, "message": "扩展名与文件内容不符"}])
    return kind


def check_xlsx(upload, *, max_bytes: int, field: str = "file") -> None:
    """Refuse anything but an Excel 2007+ workbook (``.xlsx``) of at most ``max_bytes``. Rewinds the stream."""
    name = _name(upload)
    _check_size(upload, name, max_bytes, field)
    if getattr(upload, "name", None) and not name.lower().endswith(".xlsx"):
        raise UploadRefused(f"文件「{name}」不是 .xlsx 文件：请用模板另存为 Excel 工作簿（*.xlsx）后上传",
                            details=[{"field": field, "message": "只接受 .xlsx 文件"}])
    head = _head(upload, 8)
    bad = UploadRefused(f"文件「{name}」的内容不是 Excel 工作簿（.xlsx）：可能是改了扩展名的其他文件或旧版 .xls，"
                        "请用模板另存为 Excel 工作簿后上传", details=[{"field": field, "message": "文件内容不是 .xlsx"}])
    if not head.startswith(b"PK\x03\x04"):
        raise bad
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as zf:
            if "xl/workbook.xml" not in zf.namelist():
                raise bad
    except (zipfile.BadZipFile, OSError, ValueError):
        raise bad from None
    finally:
        upload.seek(0)
