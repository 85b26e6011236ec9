"""Webhook verification: every way a delivery can be wrong."""

import email.message
import hashlib
import hmac
import os
import time

import pytest

import quire
from conftest import HTTP_DATA

SECRET = "whsec_" + "ab" * 12
with open(os.path.join(HTTP_DATA, "webhook_report_completed.json"), "rb") as f:
    BODY = f.read()


def sig(body=BODY, secret=SECRET, t=None):
    t = int(time.time()) if t is None else t
    mac = hmac.new(secret.encode(), str(t).encode() + b"." + body,
                   hashlib.sha256).hexdigest()
    return "t=%d,v1=%s" % (t, mac)


def test_good_delivery_in_every_header_form():
    s = sig()
    forms = [
        {"Content-Type": "application/json", "Conduit-Signature": s},
        [("content-type", "application/json"), ("conduit-signature", s)],
        ["Content-Type: application/json", "conduit-signature: " + s],
    ]
    msg = email.message.Message()  # what http.server hands a handler
    msg["Content-Type"] = "application/json"
    msg["Conduit-Signature"] = s
    forms.append(msg)
    for headers in forms:
        ev = quire.verify_webhook(headers, BODY, SECRET)
        assert ev.kind == "report.completed"
        assert (ev.id, ev.job_id, ev.report_id) == ("evt_01HQ", "job_1", "rep_1")
        assert ev.data["reportId"] == "rep_1"
        assert ev.created_at == "2026-03-18T14:22:06.002Z"


def test_our_signer_matches_conduits():
    t = 1_700_000_000
    assert quire.sign(BODY, SECRET, t) == sig(t=t)
    quire.verify_signature({"conduit-signature": quire.sign(BODY, SECRET)},
                           BODY, SECRET.encode())


@pytest.mark.parametrize("headers,body,secret,why", [
    ({"conduit-signature": sig()}, BODY + b" ", SECRET, "does not match"),
    ({"conduit-signature": sig(secret="other")}, BODY, SECRET, "does not match"),
    ({"conduit-signature": sig(t=int(time.time()) - 3600)}, BODY, SECRET, ""),
    ({"content-type": "application/json"}, BODY, SECRET, ""),
    ({"conduit-signature": "t=1,v1=zz"}, BODY, SECRET, ""),
    ([("conduit-signature", sig()), ("Conduit-Signature", sig())], BODY,
     SECRET, ""),
    ({"conduit-signature": sig() + ",t=5"}, BODY, SECRET, ""),
])
def test_bad_deliveries_raise_signature_error(headers, body, secret, why):
    with pytest.raises(quire.SignatureError) as e:
        quire.verify_webhook(headers, body, secret)
    assert e.value.name == "ESIGNATURE"
    assert why in str(e.value)
    assert SECRET not in str(e.value)


def test_legacy_header_and_tolerance():
    quire.verify_webhook({"mappa-signature": sig()}, BODY, SECRET)
    old = int(time.time()) - 1000
    with pytest.raises(quire.SignatureError):
        quire.verify_webhook({"conduit-signature": sig(t=old)}, BODY, SECRET)
    quire.verify_webhook({"conduit-signature": sig(t=old)}, BODY, SECRET,
                         tolerance=2000)
    quire.verify_webhook({"conduit-signature": sig(t=1000)}, BODY, SECRET,
                         now=1100)


def test_header_injection_refused():
    with pytest.raises(quire.InvalidArgumentError):
        quire.verify_webhook({"x": "a\r\nconduit-signature: " + sig()}, BODY,
                             SECRET)
    with pytest.raises(TypeError):
        quire.verify_webhook("conduit-signature: x", BODY, SECRET)


def test_parse_event_errors_and_kinds():
    with pytest.raises(quire.JSONSyntaxError):
        quire.parse_event(b"{")
    with pytest.raises(quire.SchemaError) as e:
        quire.parse_event(b'{"id":"e","type":"report.completed","data":{}}')
    assert e.value.path.startswith("$.data")
    ev = quire.parse_event(b'{"id":"e","type":"report.failed","data":'
                           b'{"jobId":"j","error":{"code":"boom","message":"no"}}}')
    assert (ev.kind, ev.job_id, ev.error_code, ev.error_message) == \
        ("report.failed", "j", "boom", "no")
    ev = quire.parse_event(b'{"id":"e","type":"something.new","data":{"x":1}}')
    assert ev.kind == "unknown" and ev.data == {"x": 1}
