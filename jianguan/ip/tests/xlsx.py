import io

from openpyxl import Workbook, load_workbook


def xlsx(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def read(data: bytes, sheet: int = 0) -> list[list]:
    ws = load_workbook(io.BytesIO(data)).worksheets[sheet]
    return [list(r) for r in ws.iter_rows(values_only=True)]


def upload(data: bytes, name: str = "rows.xlsx"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
