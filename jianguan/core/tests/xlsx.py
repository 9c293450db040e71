"""Reading an exported workbook back in tests."""

import io

import openpyxl


def rows(response) -> list[tuple]:
    """The rows of the first sheet of an .xlsx response (streamed or not), header first."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return list(openpyxl.load_workbook(io.BytesIO(body)).active.iter_rows(values_only=True))
