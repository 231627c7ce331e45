#!/usr/bin/python3
"""validate.py must fail on wrong responses, or the contract step proves nothing."""
import contextlib
import io
import json
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import validate  # noqa: E402

ERROR = {"$ref": "#/components/schemas/Error"}


def json_response(schema):
    return {"description": "d", "content": {"application/json": {"schema": schema}}}


DOCUMENT = {
    "openapi": "3.1.0",
    "paths": {
        "/api/adbots/{id}": {"get": {
            "parameters": [{"name": "id", "in": "path", "schema": {"type": "integer"}}],
            "responses": {"200": json_response({"$ref": "#/components/schemas/Adbot"}),
                          "404": json_response(ERROR)}}},
        "/api/adbots/stats": {"get": {"responses": {"200": json_response(
            {"type": "object", "properties": {"n": {"type": "integer"}}, "required": ["n"]})}}},
        "/metrics": {"get": {"responses": {"200": {
            "description": "d", "content": {"text/plain": {"schema": {"type": "string"}}}}}}},
    },
    "components": {"schemas": {
        "Error": {"type": "object", "required": ["error"], "properties": {"error": {
            "type": "object", "required": ["code", "message"],
            "properties": {"code": {"type": "string"}, "message": {"type": "string"}}}}},
        "Adbot": {"type": "object", "required": ["id", "status", "created_at"], "properties": {
            "id": {"type": "integer"}, "status": {"type": "string"},
            "created_at": {"type": "string", "format": "date-time"}}},
    }},
}

GOOD_ADBOT = {"id": 3, "status": "RUNNING", "created_at": "2026-12-08T03:02:24.000Z"}


def record(target, status, body=None, method="GET", content_type="application/json"):
    r = {"method": method, "target": target, "status": status, "content_type": content_type,
         "test": "Unit.Test"}
    if body is not None:
        r["body"] = body
    return r


class ValidateTest(unittest.TestCase):
    strict = False

    def run_check(self, records):
        with tempfile.TemporaryDirectory() as d:
            doc = os.path.join(d, "openapi.json")
            with open(doc, "w") as f:
                json.dump(DOCUMENT, f)
            rec = os.path.join(d, "records")
            os.makedirs(rec)
            with open(os.path.join(rec, "1.jsonl"), "w") as f:
                for r in records:
                    f.write(json.dumps(r) + "\n")
            out = io.StringIO()
            args = validate.argparse.Namespace(document=doc, hqadz=None, records=rec,
                                               ctest=None, build_dir=None,
                                               strict_fields=self.strict)
            with contextlib.redirect_stdout(out):
                rc = validate.check(args)
            return rc, out.getvalue()

    def all_routes(self):
        return [record("/api/adbots/3", 200, GOOD_ADBOT),
                record("/api/adbots/stats", 200, {"n": 1}),
                record("/metrics", 200, content_type="text/plain; version=0.0.4")]

    def test_right_responses_pass(self):
        rc, out = self.run_check(self.all_routes() + [
            record("/api/adbots/4", 404, {"error": {"code": "not_found", "message": "m"}}),
            record("/api/nothing/here", 404, {"error": {"code": "not_found", "message": "m"}}),
            record("/assets/app.js", 200, content_type="text/javascript")])
        self.assertEqual(rc, 0, out)

    def test_a_wrong_body_fails_with_its_pointer(self):
        wrong = dict(GOOD_ADBOT, id="3")
        rc, out = self.run_check(self.all_routes() + [record("/api/adbots/3", 200, wrong)])
        self.assertEqual(rc, 1, out)
        self.assertIn("GET /api/adbots/{id}", out)
        self.assertIn("at /id:", out)

    def test_a_missing_required_field_and_a_bad_timestamp_fail(self):
        rc, out = self.run_check(self.all_routes() + [
            record("/api/adbots/3", 200, {"id": 3, "created_at": "yesterday"})])
        self.assertEqual(rc, 1, out)
        self.assertIn("'status' is a required property", out)
        self.assertIn("at /created_at:", out)

    def test_an_undocumented_status_fails(self):
        rc, out = self.run_check(self.all_routes() + [
            record("/api/adbots/stats", 409, {"error": {"code": "x", "message": "m"}})])
        self.assertEqual(rc, 1, out)
        self.assertIn("status 409 is not documented", out)

    def test_an_error_in_another_shape_fails(self):
        rc, out = self.run_check(self.all_routes() + [
            record("/api/adbots/3", 404, {"message": "not found"})])
        self.assertEqual(rc, 1, out)
        self.assertIn("'error' is a required property", out)

    def test_literal_segments_win_over_parameters(self):
        # /api/adbots/stats is its own route: {"n": 1} must not be checked as an Adbot.
        rc, out = self.run_check(self.all_routes())
        self.assertEqual(rc, 0, out)

    def test_a_route_with_no_recorded_success_fails(self):
        rc, out = self.run_check(self.all_routes()[:2] + [
            record("/metrics", 500, {"error": {"code": "internal", "message": "m"}})])
        self.assertEqual(rc, 1, out)
        self.assertIn("1 routes have no recorded success (2xx) response", out)
        self.assertIn("GET /metrics", out)

    def test_an_undocumented_api_route_and_a_wrong_content_type_fail(self):
        rc, out = self.run_check(self.all_routes() + [
            record("/api/secret", 200, {"x": 1}),
            record("/metrics", 200, content_type="application/json", body={})])
        self.assertEqual(rc, 1, out)
        self.assertIn("no route in the document for GET /api/secret", out)
        self.assertIn("the document says 'text/plain'", out)

    def test_a_json_content_type_that_is_not_json_fails(self):
        bad = record("/api/adbots/3", 200)
        bad["body_text"] = "<html>oops</html>"
        rc, out = self.run_check(self.all_routes() + [bad])
        self.assertEqual(rc, 1, out)
        self.assertIn("the body is not JSON", out)

    def test_a_field_the_document_does_not_list_is_noted_and_fails_when_strict(self):
        extra = [record("/api/adbots/3", 200, dict(GOOD_ADBOT, product_name="Bronze"))]
        rc, out = self.run_check(self.all_routes() + extra)
        self.assertEqual(rc, 0, out)
        self.assertIn("GET /api/adbots/{id}: /product_name", out)
        self.strict = True
        rc, out = self.run_check(self.all_routes() + extra)
        self.assertEqual(rc, 1, out)


if __name__ == "__main__":
    unittest.main()
