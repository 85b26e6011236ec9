"""The Conduit client against the fake server (127.0.0.1), reusing the
routes of the CLI's scenarios in tests/http/."""

import json
import os
import re
import secrets
import threading

import pytest

import quire
from conftest import HTTP_DATA, ROOT, header

REPORT_V2 = os.path.join(HTTP_DATA, "report_v2.json")


def scenario(name):
    with open(os.path.join(ROOT, "tests", "http", name + ".scenario")) as f:
        return json.load(f)


def client(server, **kw):
    key = "sk_test_" + secrets.token_hex(16)
    c = quire.Client(key, base_url=server.base, time_scale=0.01,
                     user_agent="bindings-test", **kw)
    return c, key


def check_common(server, key):
    """What every request must carry, and where the key must not go."""
    for e in server.requests():
        assert header(e, "Mappa-Api-Key") == [key]
        assert re.match(r"^req_[0-9a-f]{32}$", header(e, "X-Request-Id")[0])
        assert header(e, "User-Agent")[0].startswith("quire/")
        assert "bindings-test" in header(e, "User-Agent")[0]


def test_get_report_and_fetch_report(conduit):
    s = conduit({"routes": [{"path": "/v1/reports/rep_1",
                             "replies": [{"body_file": "data/report_v2.json"}]}]})
    c, key = client(s)
    raw = c.get_report("rep_1")
    with open(REPORT_V2, "rb") as f:
        assert raw == f.read()
    doc = c.fetch_report("rep_1")
    assert "Dana Okafor" in doc.render("text").decode()
    assert s.lines() == ["GET /v1/reports/rep_1"] * 2
    check_common(s, key)
    assert key not in repr(c)
    c.close()
    with pytest.raises(ValueError, match="closed"):
        c.get_report("rep_1")


def test_errors_carry_request_id_and_status(conduit):
    s = conduit(scenario("auth_401"))
    c, key = client(s)
    with pytest.raises(quire.AuthError) as e:
        c.get_report("rep_1")
    err = e.value
    assert (err.http_status, err.request_id, err.name) == (401, "req_srv_401", "EAUTH")
    assert err.source.endswith("/v1/reports/rep_1")
    assert "Invalid API key" in str(err) and key not in str(err)
    s404 = conduit({"routes": []})  # no route: the fake server answers 404
    c2, _ = client(s404)
    with pytest.raises(quire.NotFoundError) as e:
        c2.get_report("rep_missing")
    assert e.value.http_status == 404 and e.value.request_id.startswith("req_")


def test_key_echoed_by_a_hostile_server_is_redacted(conduit):
    s = conduit(scenario("auth_403_key_echoed"))
    c, key = client(s)
    with pytest.raises(quire.AuthError) as e:
        c.get_report("rep_1")
    assert key not in str(e.value) and key not in e.value.message


def test_retries_then_success(conduit):
    s = conduit(scenario("server_503_then_ok"))
    c, _ = client(s)
    assert c.get_report("rep_1").startswith(b"{")
    assert len(s.requests()) == 2
    ids = [header(e, "X-Request-Id")[0] for e in s.requests()]
    assert ids[0] == ids[1]  # one call, one id across its retries


def test_by_job_not_ready_then_job(conduit):
    s = conduit(scenario("byjob_not_ready"))
    c, _ = client(s)
    with pytest.raises(quire.NotReadyError):
        c.get_report_by_job("job_1")
    job = c.get_job("job_1")
    assert (job.id, job.status, job.stage, job.progress) == \
        ("job_1", "running", "scoring", 0.4)
    assert not job.terminal
    assert json.loads(job.json)["id"] == "job_1"


def test_wait_job_follows_the_stream_with_progress(conduit):
    s = conduit(scenario("create_wait_render"))
    c, _ = client(s)
    job = c.create_job("med_1", "sales_playbook")
    assert job.id == "job_1" and job.status == "queued"
    assert job.idempotency_key and job.idempotency_key.startswith("idem_")
    seen = []
    done = c.wait_job("job_1", progress=lambda j: seen.append((j.status, j.stage)))
    assert done.status == "succeeded" and done.report_id == "rep_1"
    assert ("running", "scoring") in seen
    report = c.get_job_report(done)
    assert b"Dana Okafor" in report
    assert s.lines() == ["POST /v1/reports/jobs", "GET /v1/jobs/job_1/stream",
                         "GET /v1/reports/rep_1"]
    post = s.requests()[0]
    assert header(post, "Idempotency-Key") == [job.idempotency_key]


def test_wait_report_falls_back_to_polling(conduit):
    s = conduit(scenario("sse_fallback_to_polling"))
    c, _ = client(s)
    raw = c.wait_report("job_1", timeout=60)
    assert b"Evidence before enthusiasm" in raw
    assert s.lines()[-1] == "GET /v1/reports/rep_1"
    s2 = conduit(scenario("sse_fallback_to_polling"))
    c2, _ = client(s2)
    c2.wait_job("job_1", poll=True)
    assert "GET /v1/jobs/job_1/stream" not in s2.lines()


def test_failed_canceled_and_timeout(conduit):
    c, _ = client(conduit(scenario("job_failed")))
    with pytest.raises(quire.JobFailedError) as e:
        c.wait_report("job_1")
    assert "no_speech" in str(e.value)
    c, _ = client(conduit(scenario("job_canceled")))
    with pytest.raises(quire.JobCanceledError):
        c.wait_job("job_1")
    c, _ = client(conduit(scenario("wait_timeout")))
    with pytest.raises(quire.QuireTimeoutError):
        c.wait_job("job_1", timeout=0.5)


def test_create_job_sends_the_contract(conduit):
    s = conduit(scenario("create_idempotency_key"))
    c, _ = client(s)
    job = c.create_job(
        "med_1", "general_report", params={"tone": "brief"},
        target=quire.Target.timerange(12.5, 90, fallback_dominant=True),
        webhook_url="https://hooks.example/conduit", label="Q1 review",
        entity_label="Dana", idempotency_key="idem_fixed_123")
    assert (job.id, job.idempotency_key, job.estimated_wait) == \
        ("job_9", "idem_fixed_123", 40)
    want = scenario("create_idempotency_key")["expect"]["requests"][0]["body"]
    assert json.loads(s.requests()[0]["body"]) == want


def test_create_failure_keeps_the_idempotency_key(conduit):
    s = conduit({"routes": [{"method": "POST", "path": "/v1/reports/jobs",
                             "replies": [{"status": 422, "json": {"error": {
                                 "code": "validation_error",
                                 "message": "mediaId unknown"}}}]}]})
    c, _ = client(s)
    with pytest.raises(quire.APIValidationError) as e:
        c.create_job("med_x", "general_report")
    assert e.value.http_status == 422
    assert e.value.idempotency_key.startswith("idem_")
    with pytest.raises(quire.InvalidArgumentError):
        c.create_job("med_1", "general_report", params="[not an object]")


def test_create_matching_job(conduit):
    s = conduit(scenario("create_matching"))
    c, _ = client(s)
    job = c.create_matching_job(
        quire.Subject.entity("ent_1"),
        [quire.Subject.media("med_2"),
         quire.Subject.media("med_3", quire.Target.speaker(1))],
        webhook_url="https://hooks.example/m", idempotency_key="idem_m_1")
    assert job.id == "job_m"
    want = scenario("create_matching")["expect"]["requests"][0]["body"]
    assert json.loads(s.requests()[0]["body"]) == want


def test_matching_results(conduit):
    s = conduit(scenario("matching_by_id"))
    c, _ = client(s)
    routes = [r["path"] for r in scenario("matching_by_id")["routes"]]
    mid = [p for p in routes if p.startswith("/v1/matching/")][0].rsplit("/", 1)[1]
    doc = quire.parse(c.get_matching(mid))
    assert doc.shape == "matching"


def test_cancel_job(conduit):
    s = conduit(scenario("job_cancel"))
    c, _ = client(s)
    path = [r for r in scenario("job_cancel")["routes"] if r.get("method") == "POST"][0]["path"]
    job = c.cancel_job(path.split("/")[3])
    assert job.status in ("canceled", "running", "queued", "succeeded")
    assert header(s.requests()[0], "Idempotency-Key")


def test_bad_arguments():
    with pytest.raises(quire.InvalidArgumentError):
        quire.Client("")
    with pytest.raises(quire.InvalidArgumentError):
        quire.Client("k", base_url="http://example.com")  # plain http, not loopback
    with pytest.raises(quire.InvalidArgumentError):
        quire.Client("key\nInjected: 1")
    c = quire.Client("k", base_url="http://127.0.0.1:9", max_retries=0)
    with pytest.raises(quire.InvalidArgumentError):
        c.get_report("")
    with pytest.raises(quire.NetworkError):
        c.get_report("rep_1")


def test_one_client_shared_by_threads_takes_turns(conduit):
    s = conduit({"routes": [{"path": "/v1/reports/rep_1",
                             "replies": [{"body_file": "data/report_v2.json",
                                          "delay": 0.05}]}]})
    c, _ = client(s)
    out = []

    def worker():
        out.append(c.get_report("rep_1"))

    ts = [threading.Thread(target=worker) for _ in range(4)]
    for t in ts:
        t.start()
    for t in ts:
        t.join(60)
    assert len(out) == 4 and len(set(out)) == 1


def test_every_error_code_of_the_header_has_its_class():
    # The bindings keep their own table of codes; one the header grows and
    # they miss would surface as a bare QuireError named "ERROR".
    with open(os.path.join(ROOT, "lib", "include", "quire.h")) as f:
        header = f.read()
    codes = {int(n): name for name, n in
             re.findall(r"QUIRE_(E[A-Z]+)\s*=\s*(-\d+)", header)}
    assert len(codes) >= 24
    for code, name in codes.items():
        assert quire.errors.CODE_NAMES[code] == name
        if code != -1:  # QUIRE_ERROR, the generic failure: QuireError
            assert quire.error_class(code) is not quire.QuireError, name
    assert quire.error_class(-24) is quire.AbortedError


def test_on_event_gets_every_raw_event(conduit):
    c, _ = client(conduit(scenario("create_wait_render")))
    events = []
    c.wait_job("job_1", on_event=events.append)
    assert [e.type for e in events] == ["status", "terminal"]
    assert [e.id for e in events] == ["1", "2"]
    assert json.loads(events[0].data)["stage"] == "scoring"
    assert events[0].job.status == "running"
    assert events[1].job.status == "succeeded"
    assert isinstance(events[0], quire.JobEvent)


def test_cancel_event_stops_the_wait_and_not_the_job(conduit):
    # wait_timeout polls a job that never ends: only cancel can stop the
    # wait before its 60 s deadline (that would raise QuireTimeoutError).
    s = conduit(scenario("wait_timeout"))
    c, _ = client(s)
    stop = threading.Event()
    polled = []

    def seen(ev):
        polled.append(ev)
        if len(polled) == 2:
            threading.Thread(target=stop.set).start()
    with pytest.raises(quire.AbortedError) as e:
        c.wait_job("job_1", timeout=60, cancel=stop, on_event=seen)
    assert e.value.name == "EABORTED"
    assert {ev.type for ev in polled} == {"job"}
    assert json.loads(polled[0].data)["id"] == "job_1"
    assert not any(ln.startswith("POST") for ln in s.lines())


def test_cancel_callable_stops_wait_report(conduit):
    c, _ = client(conduit(scenario("wait_timeout")))
    asked = []

    def cancel():
        asked.append(1)
        return len(asked) > 3
    with pytest.raises(quire.AbortedError):
        c.wait_report("job_1", timeout=60, cancel=cancel)
    with pytest.raises(quire.InvalidArgumentError):
        c.wait_job("job_1", cancel=42)


def test_a_raising_listener_stops_the_wait_at_once(conduit):
    c, _ = client(conduit(scenario("wait_timeout")))

    def boom(_ev):
        raise RuntimeError("listener failed")
    with pytest.raises(RuntimeError, match="listener failed"):
        c.wait_job("job_1", timeout=60, on_event=boom)
    c, _ = client(conduit(scenario("wait_timeout")))
    with pytest.raises(RuntimeError, match="listener failed"):
        c.wait_job("job_1", timeout=60, progress=boom)


def test_list_all_follows_the_cursor_and_refuses_a_loop(conduit):
    s = conduit(scenario("files_list_all"))
    c, _ = client(s)
    page = c.list_all_files(limit=1, include_deleted=True)
    assert [f.media_id for f in page] == ["med_1", "med_2"]
    assert not page.has_more and page.next_cursor is None
    assert re.search(r"cursor=cur(%20|\+)2", s.requests()[1]["path"])
    c, _ = client(conduit(scenario("entities_list_all")))
    assert [e.id for e in c.list_all_entities()] == ["ent_1", "ent_2"]
    c, _ = client(conduit(scenario("files_cursor_never_ends")))
    with pytest.raises(quire.ServerError):
        c.list_all_files()
