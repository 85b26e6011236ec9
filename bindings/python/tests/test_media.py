"""Uploads, files, entities and webhook headers against the fake server
(127.0.0.1), with the routes of the CLI's scenarios in tests/http/."""

import json
import os
import re
import secrets

import pytest

import quire
from conftest import ROOT, header


def scenario(name):
    with open(os.path.join(ROOT, "tests", "http", name + ".scenario")) as f:
        return json.load(f)


def expected_body(name, i=0):
    return scenario(name)["expect"]["requests"][i]["body"]


def client(server):
    key = "sk_test_" + secrets.token_hex(16)
    return quire.Client(key, base_url=server.base, time_scale=0.01), key


def media_file(tmp_path, size=3 << 20, name="call.mp3"):
    p = tmp_path / name
    with open(p, "wb") as f:
        f.write(b"ID3")
        f.write(os.urandom(1024))
        f.truncate(size)  # sparse: big without costing disk
    return p


def test_upload_streams_the_file_with_label_and_progress(conduit, tmp_path):
    s = conduit(scenario("upload_file"))
    c, key = client(s)
    path = media_file(tmp_path)
    seen = []
    f = c.upload(path, label="Q1 call",
                 progress=lambda sent, total: seen.append((sent, total)))
    assert isinstance(f, quire.MediaFile)
    assert (f.media_id, f.label, f.content_type, f.size) == \
        ("med_up1", "Q1 call", "audio/mpeg", 3000000)
    assert f.created_at == "2026-03-18T14:22:05Z" and not f.deleted
    assert f.duration is None and f.retention_locked is None
    assert re.match(r"^idem_[0-9a-f-]{36}$", f.idempotency_key)
    assert s.lines() == ["POST /v1/files"]
    req = s.requests()[0]
    assert header(req, "Idempotency-Key") == [f.idempotency_key]
    assert header(req, "Mappa-Api-Key") == [key]
    assert header(req, "Content-Type")[0].startswith("multipart/form-data")
    # Over 1 MiB: the server kept both ends and counted every byte.
    assert req["body_size"] > 3 << 20
    assert 'name="file"; filename="call.mp3"' in req["body"]
    assert re.search(r'name="label"\r\n\r\nQ1 call\r\n--', req["body"])
    assert seen and seen[-1][0] >= 3 << 20
    assert all(a[0] <= b[0] for a, b in zip(seen, seen[1:]))
    assert json.loads(f.json)["mediaId"] == "med_up1"


def test_upload_options_and_errors(conduit, tmp_path):
    s = conduit(scenario("upload_file"))
    c, _ = client(s)
    path = media_file(tmp_path, 1000, "raw.bin")
    f = c.upload(str(path), filename="named.wav", content_type="audio/wav",
                 idempotency_key="idem_mine_1")
    assert f.idempotency_key == "idem_mine_1"
    body = s.requests()[0]["body"]
    assert 'filename="named.wav"' in body
    assert "Content-Type: audio/wav" in body
    assert header(s.requests()[0], "Idempotency-Key") == ["idem_mine_1"]
    with pytest.raises(quire.QuireIOError) as e:
        c.upload(tmp_path / "missing.mp3")
    assert "missing.mp3" in str(e.value)
    with pytest.raises(quire.InvalidArgumentError):
        c.upload()  # neither path nor url
    with pytest.raises(quire.InvalidArgumentError):
        c.upload(path, url="https://example.com/a.mp3")
    assert len(s.requests()) == 1  # refused before sending


def test_upload_progress_exception_is_raised(conduit, tmp_path):
    c, _ = client(conduit(scenario("upload_file")))

    def boom(sent, total):
        raise RuntimeError("listener failed")
    with pytest.raises(RuntimeError, match="listener failed"):
        c.upload(media_file(tmp_path, 200000), progress=boom)


def test_upload_failure_carries_request_id_and_key(conduit, tmp_path):
    s = conduit({"routes": [{"method": "POST", "path": "/v1/files",
                             "replies": [{"status": 415, "headers": {
                                 "X-Request-Id": "req_srv_415"},
                                 "json": {"error": {
                                     "code": "unsupported_media_type",
                                     "message": "not audio"}}}]}]})
    c, _ = client(s)
    with pytest.raises(quire.RefusedError) as e:
        c.upload(media_file(tmp_path, 5000))
    err = e.value
    assert (err.http_status, err.request_id, err.name) == \
        (415, "req_srv_415", "EREFUSED")
    assert "not audio" in err.message and err.source.endswith("/v1/files")
    assert err.idempotency_key.startswith("idem_")


def test_upload_from_url(conduit):
    sc = scenario("create_from_url")
    s = conduit({"routes": sc["routes"]})
    c, key = client(s)
    url = s.bases["other"] + "/media/call%201.mp3"
    f = c.upload(url=url)
    assert f.media_id == "med_url1"
    other = [e for e in s.recorder.entries if e["server"] == "other"]
    assert [e["path"] for e in other] == ["/media/call%201.mp3"]
    assert not header(other[0], "Mappa-Api-Key")  # the key stays home
    up = s.requests()[0]
    assert 'name="file"; filename="call 1.mp3"' in up["body"]
    assert up["body_size"] >= 200000


def test_create_job_from_a_file_uploads_first(conduit, tmp_path):
    s = conduit(scenario("create_from_file"))
    c, _ = client(s)
    job = c.create_job(template="general_report",
                       file=media_file(tmp_path, 200000), label="Q1")
    assert (job.id, job.media_id) == ("job_f1", "med_up1")
    assert job.uploaded is not None and job.uploaded.media_id == "med_up1"
    assert s.lines() == ["POST /v1/files", "POST /v1/reports/jobs"]
    assert 'filename="call.mp3"' in s.requests()[0]["body"]
    assert json.loads(s.requests()[1]["body"]) == \
        expected_body("create_from_file", 1)
    with pytest.raises(quire.InvalidArgumentError):
        c.create_job("med_1", "general_report", file="x.mp3")
    with pytest.raises(quire.InvalidArgumentError):
        c.create_job(template="general_report")
    with pytest.raises(quire.InvalidArgumentError):
        c.create_job("med_1")
    assert len(s.requests()) == 2


def test_create_job_failure_keeps_the_upload(conduit, tmp_path):
    routes = [scenario("create_from_file")["routes"][0],
              {"method": "POST", "path": "/v1/reports/jobs",
               "replies": [{"status": 402, "json": {"error": {
                   "code": "insufficient_credits",
                   "message": "Insufficient credits"}}}]}]
    c, _ = client(conduit({"routes": routes}))
    with pytest.raises(quire.CreditsError) as e:
        c.create_job(template="general_report",
                     file=media_file(tmp_path, 1000))
    assert e.value.uploaded.media_id == "med_up1"
    assert e.value.idempotency_key.startswith("idem_")


def test_create_job_from_a_url(conduit):
    sc = scenario("create_from_url")
    s = conduit({"routes": sc["routes"]})
    c, _ = client(s)
    job = c.create_job(template="general_report",
                       url=s.bases["other"] + "/media/call%201.mp3")
    assert (job.id, job.media_id) == ("job_u1", "med_url1")
    assert json.loads(s.requests()[1]["body"]) == \
        expected_body("create_from_url", 1)


@pytest.mark.parametrize("headers", [
    {"X-Trace": "abc 123", "Authorization": "Bearer t0k"},
    [("X-Trace", "abc 123"), ("Authorization", "Bearer t0k")],
    ["X-Trace: abc 123", "Authorization:Bearer t0k"],
])
def test_create_job_webhook_headers(conduit, headers):
    s = conduit(scenario("create_webhook_headers"))
    c, _ = client(s)
    c.create_job("med_1", "hiring_report",
                 webhook_url="https://hooks.example/c",
                 webhook_headers=headers)
    assert json.loads(s.requests()[0]["body"]) == \
        expected_body("create_webhook_headers")


def test_webhook_headers_checked_before_sending(conduit):
    s = conduit(scenario("create_webhook_headers"))
    c, _ = client(s)
    for bad in ({"X-Bad": "a\r\nInjected: 1"}, {"Bad Name": "x"},
                ["no colon"]):
        with pytest.raises(quire.InvalidArgumentError):
            c.create_job("med_1", "hiring_report",
                         webhook_url="https://hooks.example/c",
                         webhook_headers=bad)
    with pytest.raises(quire.InvalidArgumentError):  # headers need a url
        c.create_job("med_1", "hiring_report", webhook_headers={"X-A": "1"})
    with pytest.raises(TypeError):
        c.create_job("med_1", "hiring_report",
                     webhook_url="https://hooks.example/c",
                     webhook_headers="X-A: 1")
    assert s.requests() == []


def test_create_matching_job_webhook_headers(conduit):
    s = conduit(scenario("create_matching_webhook_headers"))
    c, _ = client(s)
    job = c.create_matching_job(quire.Subject.entity("ent_1"),
                                [quire.Subject.entity("ent_2")],
                                webhook_url="https://hooks.example/m",
                                webhook_headers={"X-Team": "blue"})
    assert job.id == "job_m"
    assert json.loads(s.requests()[0]["body"]) == \
        expected_body("create_matching_webhook_headers")


def test_files_list_page(conduit):
    s = conduit(scenario("files_list_page"))
    c, _ = client(s)
    page = c.list_files(limit=5, include_deleted=True)
    assert isinstance(page, quire.Page) and len(page) == 1
    f = page.items[0]
    assert (f.media_id, f.label, f.size) == ("med_1", "one", 1234)
    assert page.has_more and page.next_cursor == "c2"
    assert [x.media_id for x in page] == ["med_1"]
    c.list_files(cursor="c2")
    paths = [e["path"] for e in s.requests()]
    assert re.search(r"limit=5", paths[0]) and \
        re.search(r"includeDeleted=true", paths[0])
    assert re.search(r"cursor=c2", paths[1])
    with pytest.raises(quire.InvalidArgumentError):
        c.list_files(limit=101)


def test_file_get_delete_retention_gone(conduit):
    s = conduit({"routes": scenario("files_delete_retention")["routes"]
                 + scenario("files_retention_lock")["routes"]
                 + scenario("files_gone")["routes"]})
    c, _ = client(s)
    f = c.delete_file("med_1")
    assert f.media_id == "med_1" and f.deleted
    f = c.set_file_retention("med_1", True)
    assert f.retention_locked is True
    assert json.loads(s.requests()[1]["body"]) == {"lock": True}
    with pytest.raises(quire.NotFoundError) as e:
        c.get_file("med_9")
    assert e.value.http_status == 410 and "deleted" in str(e.value)
    assert s.lines() == ["DELETE /v1/files/med_1",
                         "PATCH /v1/files/med_1/retention",
                         "GET /v1/files/med_9"]
    with pytest.raises(quire.InvalidArgumentError):
        c.get_file("")


def test_entities(conduit):
    routes = (scenario("entities_list_all")["routes"]
              + scenario("entities_get")["routes"])
    s = conduit({"routes": routes})
    c, _ = client(s)
    p1 = c.list_entities(limit=1)
    assert [e.id for e in p1] == ["ent_1"]
    e1 = p1.items[0]
    assert (e1.label, e1.media_count, e1.last_seen_at) == \
        ("Dana", 3, "2026-03-05T10:00:00Z")
    assert p1.has_more and p1.next_cursor == "e2"  # the key is "cursor"
    p2 = c.list_entities(cursor=p1.next_cursor)
    assert [e.id for e in p2] == ["ent_2"] and not p2.has_more
    assert p2.items[0].label is None and p2.next_cursor is None
    e = c.get_entity("ent_1")
    assert isinstance(e, quire.Entity) and e.id == "ent_1"
    assert "cursor=e2" in s.requests()[1]["path"]


def test_entity_label_set_and_clear(conduit):
    s = conduit(scenario("entities_label"))
    c, _ = client(s)
    e = c.set_entity_label("ent_1", "  Dana O.  ")
    assert e.label == "Dana O."
    assert json.loads(s.requests()[0]["body"]) == {"label": "Dana O."}
    s2 = conduit(scenario("entities_label_clear"))
    c2, _ = client(s2)
    assert c2.set_entity_label("ent_1", None).label is None
    assert json.loads(s2.requests()[0]["body"]) == {"label": None}
    with pytest.raises(quire.InvalidArgumentError) as err:
        c2.set_entity_label("ent_1", "  " + "é" * 65 + "  ")
    assert "64" in str(err.value)
    assert len(s2.requests()) == 1


README_ROUTES = [
    {"method": "POST", "path": "/v1/files", "replies": [
        {"status": 201, "json": {"mediaId": "med_1", "sizeBytes": 5000}}]},
    {"method": "POST", "path": "/v1/reports/jobs", "replies": [
        {"status": 202, "json": {"jobId": "job_1", "status": "queued"}}]},
    {"path": "/v1/files", "replies": [{"json": {
        "files": [{"mediaId": "med_1", "label": "Q1 call"}],
        "hasMore": False, "nextCursor": None}}]},
    {"path": "/v1/files/med_1", "replies": [{"json": {"mediaId": "med_1"}}]},
    {"method": "PATCH", "path": "/v1/files/med_1/retention", "replies": [
        {"json": {"mediaId": "med_1", "retentionLock": True}}]},
    {"method": "DELETE", "path": "/v1/files/med_1", "replies": [
        {"json": {"mediaId": "med_1", "deleted": True}}]},
    {"path": "/v1/entities", "replies": [{"json": {
        "entities": [{"id": "ent_1"}], "hasMore": False, "cursor": None}}]},
    {"path": "/v1/entities/ent_1", "replies": [{"json": {"id": "ent_1"}}]},
    {"method": "PATCH", "path": "/v1/entities/ent_1", "replies": [
        {"json": {"id": "ent_1", "label": "Dana O."}}]},
]


def test_readme_media_section_runs_as_written(conduit, tmp_path, monkeypatch):
    """The README's media/entities code block, run as it stands."""
    from conftest import PKG
    with open(os.path.join(PKG, "README.md")) as f:
        readme = f.read()
    section = readme.split("### Media files, entities, webhook headers", 1)[1]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    s = conduit({"routes": README_ROUTES})
    c, _ = client(s)
    media_file(tmp_path, 5000)
    monkeypatch.chdir(tmp_path)
    exec(compile(code, "README.md", "exec"), {"client": c, "quire": quire})
    assert s.lines() == [
        "POST /v1/files", "POST /v1/files", "POST /v1/reports/jobs",
        "GET /v1/files", "GET /v1/files", "GET /v1/files/med_1",
        "PATCH /v1/files/med_1/retention", "DELETE /v1/files/med_1",
        "GET /v1/entities", "GET /v1/entities/ent_1",
        "PATCH /v1/entities/ent_1"]
    create = json.loads(s.requests()[2]["body"])
    assert create["webhook"]["headers"] == {"Authorization": "Bearer s3cret"}
