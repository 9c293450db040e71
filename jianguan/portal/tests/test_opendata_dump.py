"""Bulk downloads: gzip'd CSV and JSON Lines per dataset, a manifest with counts and SHA-256, served from disk."""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json

from django.core.management import call_command

from jianguan.core.models import AuditEntry
from jianguan.core.sweep import run
from jianguan.portal import opendata, services


def test_dump_writes_every_dataset_with_a_truthful_manifest(world, settings):
    manifest = services.opendata_dump(actor="test", today=world["today"])
    by_name = {d["name"]: d for d in manifest["datasets"]}
    assert {"entities", "abnormal", "serious", "inspection_results"} <= set(by_name)
    assert by_name["entities"]["rows"] == 2 and by_name["abnormal"]["rows"] == 1
    assert by_name["inspection_results"]["rows"] == 1 and by_name["serious"]["rows"] == 0
    for d in manifest["datasets"]:
        for f in d["files"]:
            path = opendata.current_dir() / f["name"]
            assert hashlib.sha256(path.read_bytes()).hexdigest() == f["sha256"]
            assert path.stat().st_size == f["bytes"]
    rows = list(csv.DictReader(io.StringIO(gzip.decompress(
        (opendata.current_dir() / "entities.csv.gz").read_bytes()).decode())))
    assert [r["uscc"] for r in rows] == [world["company"].uscc, world["shop"].uscc]
    assert rows[1]["legal_rep"] == "王*明" and rows[0]["legal_rep"] == "赵大成"
    lines = gzip.decompress((opendata.current_dir() / "entities.jsonl.gz").read_bytes()).decode().splitlines()
    assert [json.loads(line)["uscc"] for line in lines] == [r["uscc"] for r in rows]
    assert AuditEntry.objects.filter(action="portal.opendata.dumped").count() == 1


def test_the_open_data_page_lists_and_serves_the_files(world, client):
    services.opendata_dump(actor="test", today=world["today"])
    page = client.get("/open-data/").content.decode()
    assert "entities.csv.gz" in page and "manifest.json" in page
    response = client.get("/open-data/files/entities.csv.gz")
    assert response.status_code == 200 and response.streaming  # streamed from disk, not loaded into memory
    assert gzip.decompress(b"".join(response.streaming_content)).startswith(b"uscc,name,")
    manifest = client.get("/open-data/files/manifest.json")
    assert json.loads(b"".join(manifest.streaming_content))["date"] == world["today"].isoformat()
    assert client.get("/open-data/files/..%2Fjianguan.sqlite3").status_code == 404
    assert client.get("/open-data/files/secret.csv.gz").status_code == 404


def test_the_sweep_job_dumps_once_a_day(world):
    first = [o for o in run(today=world["today"], only="opendata-dump")][0]
    assert first.ok and first.counts["entities"] == 2
    again = run(today=world["today"], only="opendata-dump")[0]
    assert again.counts == {"already_dumped": 1}


def test_the_command_dumps(world, capsys):
    call_command("opendata", "dump")
    assert "数据包已生成" in capsys.readouterr().out
    assert opendata.read_manifest()["datasets"][0]["name"] == "entities"


def test_a_failed_dump_leaves_the_previous_one_in_place(world, monkeypatch):
    services.opendata_dump(actor="test", today=world["today"])
    before = opendata.read_manifest()

    def broken(today):
        yield ("x",) * 16
        raise RuntimeError("database went away")

    monkeypatch.setattr(opendata, "DATASETS", [opendata.DATASETS[0].__class__(
        "entities", "x", "x", opendata.DATASETS[0].columns, broken)])
    try:
        opendata.dump(today=world["today"])
    except RuntimeError:
        pass
    assert opendata.read_manifest() == before
    assert not [p for p in opendata.root().iterdir() if p.name.startswith(".tmp")]
