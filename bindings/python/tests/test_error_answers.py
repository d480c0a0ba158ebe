"""The error table shared by every language (tests/behaviour/errors.json): the Python exception
classes, the HTTP status and the bodies the WSGI/ASGI middleware answer with come from the core."""

import json
import pathlib
import xml.etree.ElementTree as ET

import pytest

import sigv4
from sigv4 import _errors
from sigv4._middleware import error_answer
from sigv4._native import error_answer as native_answer

TABLE = json.loads(
    (pathlib.Path(__file__).resolve().parents[3] / "tests" / "behaviour" / "errors.json").read_text()
)["codes"]


@pytest.mark.parametrize("code", sorted(TABLE))
def test_code_maps_like_every_language(code):
    row = TABLE[code]
    assert type(_errors._from_native(code, None, "m")).__name__ == row["python"]
    assert getattr(sigv4, row["python"]) is type(_errors._from_native(code, None, "m"))
    verr = _errors._from_verify(code, None, "m", None, None)
    assert isinstance(verr, sigv4.VerificationError)
    assert verr.status == row["status"]
    assert verr.is_malformed == (row["status"] == 400)
    status, headers, body = error_answer(verr)
    assert status == row["status"]
    assert dict(headers)["x-amzn-ErrorType"] == row["js"]
    assert json.loads(body) == {"__type": code, "message": "m"}


def test_explained_mismatch_json_and_xml():
    err = _errors._from_verify("SignatureDoesNotMatch", None, "no", "GET\n/\n\nhost:a&b\n\nhost\nx", "AWS4-HMAC-SHA256\nt")
    status, headers, body = error_answer(err, explain_mismatch=True)
    assert status == 403
    assert json.loads(body)["canonicalRequest"] == err.canonical_request
    assert json.loads(error_answer(err)[2]) == {"__type": "SignatureDoesNotMatch", "message": "no"}
    status, ctype, text = native_answer(err.code, str(err), err.canonical_request, err.string_to_sign, xml=True)
    assert (status, ctype) == (403, "application/xml")
    root = ET.fromstring(text.encode())
    assert [c.tag for c in root] == ["Code", "Message", "StringToSign", "CanonicalRequest"]
    assert root.find("CanonicalRequest").text == err.canonical_request
    assert root.find("Code").text == "SignatureDoesNotMatch"


def test_unknown_code_is_refused():
    with pytest.raises(ValueError, match="not an error code"):
        native_answer("NoSuchCode", "m")
