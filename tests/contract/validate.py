#!/usr/bin/python3
"""Checks every recorded HTTP response against the OpenAPI document (`hqadz openapi`).

The integration tests append one JSON line per response they receive to
$HQADZ_CONTRACT_DIR/<pid>.jsonl (tests/integration/http_client.cpp):

    {"method": "GET", "target": "/api/adbots/3?x=1", "status": 200,
     "content_type": "application/json", "body": {...}, "test": "Suite.Name"}

("body" only for JSON responses; "body_text" when a JSON content type carried something that
does not parse). Anything else may add files of its own in the same format (the web journey).

    validate.py reset DIR            empty DIR (the fixture's setup)
    validate.py check --records DIR (--hqadz BIN | --document FILE)
                      [--ctest CTEST --build-dir DIR]

`check` fails on a body that does not validate against the schema of its status (JSON pointer
and reason printed), a status the route does not document, a response on an undocumented
route, and, when every recording test of the CTest project ran (their .ran markers; the list
from `ctest --show-only`), on any documented route with no recorded success (2xx) response. Non-JSON responses
(SSE, /metrics, static files) are checked for status and content type only.

Uses Debian's python3-jsonschema (draft 2020-12) under /usr/bin/python3 (TRAPS.md: not pyenv).
"""
import argparse
import collections
import glob
import json
import os
import re
import shutil
import subprocess
import sys

import jsonschema

import fields

HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options")
DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def format_checker():
    checker = jsonschema.FormatChecker(formats=())
    checker.checks("date-time")(lambda v: not isinstance(v, str) or bool(DATE_TIME.match(v)))
    checker.checks("date")(lambda v: not isinstance(v, str) or bool(DATE.match(v)))
    return checker


class Route:
    """One operation of the document, matched like http::Router: literal segments win."""

    def __init__(self, path, method, op):
        self.path, self.method, self.op = path, method.upper(), op
        self.segments = []
        int_params = {p["name"] for p in op.get("parameters", [])
                      if p.get("in") == "path" and p.get("schema", {}).get("type") == "integer"}
        for part in path.strip("/").split("/"):
            if part.startswith("{"):
                name = part[1:-1]
                self.segments.append((None, name in int_params))
            else:
                self.segments.append((part, False))

    def score(self, parts):
        """-1 when `parts` does not match; else earlier literal segments weigh more."""
        if len(parts) != len(self.segments):
            return -1
        score = 0
        for i, ((literal, integer), part) in enumerate(zip(self.segments, parts)):
            if literal is None:
                if integer and not (part.isdigit() and len(part) <= 18):
                    return -1
            elif literal != part:
                return -1
            else:
                score += 1 << (len(parts) - i)
        return score

    def __str__(self):
        return f"{self.method} {self.path}"


class Contract:
    def __init__(self, document):
        self.document = document
        self.routes = [Route(path, method, op)
                       for path, item in document["paths"].items()
                       for method, op in item.items() if method in HTTP_METHODS]
        self.checker = format_checker()
        self.validators = {}
        self.undocumented = set()  # (route, pointer): members no schema lists

    def match(self, method, path):
        """(route or None, True when some route has this path under another method)."""
        parts = [p for p in path.split("/") if p]
        best, best_score, other_method = None, -1, False
        for r in self.routes:
            s = r.score(parts)
            if s < 0:
                continue
            if r.method != method:
                other_method = True
            elif s > best_score:
                best, best_score = r, s
        return best, other_method

    def validator(self, key, schema):
        if key not in self.validators:
            # The schema as the root of a document that also holds the components, so that
            # "#/components/schemas/X" resolves without a network or a resolver.
            root = dict(schema)
            root["components"] = self.document.get("components", {})
            self.validators[key] = jsonschema.Draft202012Validator(
                root, format_checker=self.checker)
        return self.validators[key]

    def response_ref(self, ref):
        """A "#/components/responses/X" reference's target."""
        node = self.document
        for part in ref.lstrip("#/").split("/"):
            node = node[part]
        return node

    def error_schema(self):
        return {"$ref": "#/components/schemas/Error"}


def pointer(path):
    return "/" + "/".join(str(p) for p in path)


def check_body(contract, key, schema, record, problems, where):
    if "body" not in record:
        if "body_text" in record:
            problems.append(f"{where}: the body is not JSON: {record['body_text'][:120]!r}")
        else:
            problems.append(f"{where}: expected a JSON body, got {record.get('content_type')!r}")
        return
    v = contract.validator(key, schema)
    errors = sorted(v.iter_errors(record["body"]), key=lambda e: list(e.absolute_path))
    for e in errors[:5]:
        problems.append(f"{where}: at {pointer(e.absolute_path)}: {e.message[:300]}")
    if not errors:
        for p in fields.undocumented(contract.document, schema, record["body"]):
            # Arrays' indexes folded, so that one missing field is one note.
            contract.undocumented.add((key if isinstance(key, str) else key[0],
                                       re.sub(r"/\d+(?=/|$)", "/*", p)))


def check_record(contract, record, covered):
    """The problems with one recorded response (empty when it matches the contract)."""
    method = record["method"].upper()
    target = record["target"]
    path = target.split("?", 1)[0]
    status = int(record["status"])
    head = method == "HEAD"
    if head:
        method = "GET"
    where = f"{record['method']} {target} -> {status}"
    problems = []
    route, other_method = contract.match(method, path)
    api_like = path.startswith("/api/") or path == "/api" or path == "/metrics"
    if route is None:
        if not api_like:
            return problems  # the web UI's static files: not part of the API
        if status == 405 and other_method or status in (400, 404):
            if "body" in record and not head:
                check_body(contract, "error", contract.error_schema(), record, problems, where)
            return problems
        problems.append(f"{where}: no route in the document for {method} {path}")
        return problems
    where = f"{route} ({where})"
    covered[str(route)].append(status)
    response = route.op.get("responses", {}).get(str(status))
    if response is not None and "$ref" in response:
        response = contract.response_ref(response["$ref"])
    if response is None:
        problems.append(f"{where}: status {status} is not documented for this route "
                        f"(documented: {', '.join(sorted(route.op.get('responses', {})))})")
        return problems
    content = response.get("content", {})
    if head or not content:
        return problems
    if "application/json" in content:
        schema = content["application/json"].get("schema", {})
        check_body(contract, (str(route), status), schema, record, problems, where)
        return problems
    want = next(iter(content))
    got = record.get("content_type", "")
    if not got.startswith(want):
        problems.append(f"{where}: content type {got!r}, the document says {want!r}")
    return problems


def load_records(directory):
    records = []
    for path in sorted(glob.glob(os.path.join(directory, "*.jsonl"))):
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                line = line.strip()
                if line:
                    try:
                        records.append(json.loads(line))
                    except json.JSONDecodeError as e:
                        raise SystemExit(f"{path}:{n}: not a JSON line: {e}")
    return records


def recording_tests(ctest, build_dir):
    """Every test of the CTest project that records (requires the "contract" fixture)."""
    out = subprocess.run([ctest, "--show-only=json-v1"], cwd=build_dir, check=True,
                         capture_output=True, text=True).stdout
    names = set()
    for t in json.loads(out).get("tests", []):
        props = {p["name"]: p["value"] for p in t.get("properties", [])}
        if props.get("DISABLED"):
            continue
        if "contract" in props.get("FIXTURES_REQUIRED", []):
            # gtest_discover_tests appends "  # GetParam() = ..." to parameterized names.
            names.add(t["name"].split("  # ", 1)[0].strip())
    return names


def tests_that_ran(directory):
    ran = set()
    for path in glob.glob(os.path.join(directory, "*.ran")):
        with open(path, encoding="utf-8") as f:
            ran.update(line.strip() for line in f if line.strip())
    return ran


def check(args):
    if args.document:
        with open(args.document, encoding="utf-8") as f:
            document = json.load(f)
    else:
        document = json.loads(subprocess.run([args.hqadz, "openapi"], check=True,
                                             capture_output=True, text=True).stdout)
    contract = Contract(document)
    records = load_records(args.records)
    covered = collections.defaultdict(list)
    problems = collections.OrderedDict()  # problem -> tests that saw it
    for record in records:
        for p in check_record(contract, record, covered):
            problems.setdefault(p, set()).add(record.get("test", "?"))
    print(f"contract: {len(records)} responses checked against {len(contract.routes)} routes")
    # A success: an error answer alone (every route has its 401 from route_access_test) never
    # shows that the route's own schema is right.
    uncovered = [str(r) for r in contract.routes
                 if not any(200 <= s < 300 for s in covered.get(str(r), []))]
    full = True
    if args.ctest:
        expected = recording_tests(args.ctest, args.build_dir)
        missing_tests = expected - tests_that_ran(args.records)
        full = not missing_tests
        if not full:
            print(f"contract: {len(missing_tests)} of {len(expected)} recording tests did not "
                  f"run in this ctest run, so routes without a response are listed, not failed")
    for p, tests in problems.items():
        print(f"FAIL {p}\n     seen in: {', '.join(sorted(tests)[:3])}")
    if contract.undocumented:
        # The objects stay open, but the document should list every field: add these to src/api
        # (schemas.cpp or the route's RouteDoc). A failure under --strict-fields (as CTest runs
        # it), a note otherwise.
        print(f"{'FAIL' if args.strict_fields else 'note'}: fields the document does not list:")
        for route, p in sorted(contract.undocumented):
            print(f"     {route}: {p}")
    if uncovered:
        print(f"{'FAIL' if full else 'note'}: {len(uncovered)} routes have no recorded success (2xx) "
              f"response (add a call to tests/integration/contract_test.cpp or another test):")
        for r in uncovered:
            print(f"     {r}")
    print(f"contract: {len(contract.routes) - len(uncovered)} of {len(contract.routes)} routes "
          f"have a recorded success response")
    failed = (bool(problems) or (full and bool(uncovered))
              or (args.strict_fields and bool(contract.undocumented)))
    if failed:
        print("contract: FAILED (regenerate the document with "
              "`build/asan/bin/hqadz openapi > web/openapi.json` if the server changed on "
              "purpose; fix the server, the document or the test otherwise)")
    return 1 if failed else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    reset = sub.add_parser("reset")
    reset.add_argument("directory")
    c = sub.add_parser("check")
    c.add_argument("--records", required=True)
    c.add_argument("--hqadz")
    c.add_argument("--document")
    c.add_argument("--ctest")
    c.add_argument("--build-dir")
    c.add_argument("--strict-fields", action="store_true",
                   help="fail on response members the document does not list")
    args = parser.parse_args()
    if args.command == "reset":
        shutil.rmtree(args.directory, ignore_errors=True)
        os.makedirs(args.directory)
        return 0
    if not args.hqadz and not args.document:
        parser.error("check needs --hqadz or --document")
    return check(args)


if __name__ == "__main__":
    sys.exit(main())
