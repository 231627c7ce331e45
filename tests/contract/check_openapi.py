#!/usr/bin/python3
"""Fails when web/openapi.json is not exactly what `hqadz openapi` prints today, or when the
document's x-hqadz-access / x-hqadz-owner-scoped differ from what `hqadz routes` prints.

    check_openapi.py HQADZ_BIN EXPECTED_FILE
"""
import difflib
import json
import re
import subprocess
import sys
import tempfile


def access_problems(hqadz, document):
    """`hqadz routes` (a plain server's table) against the document (the demo server's)."""
    with tempfile.TemporaryDirectory() as data_dir:
        routes = json.loads(subprocess.run([hqadz, "routes", "--data-dir", data_dir], check=True,
                                           capture_output=True, text=True).stdout)["routes"]
    problems, seen = [], set()
    for r in routes:
        path = re.sub(r"\{([a-z_]+)(:int)?\}", r"{\1}", r["pattern"])
        op = document["paths"].get(path, {}).get(r["method"].lower())
        seen.add((path, r["method"].lower()))
        if op is None:
            problems.append(f"{r['method']} {r['pattern']}: in `hqadz routes`, not in the document")
            continue
        if op.get("x-hqadz-access") != r["access"]:
            problems.append(f"{r['method']} {path}: x-hqadz-access {op.get('x-hqadz-access')!r}, "
                            f"`hqadz routes` says {r['access']!r}")
        if op.get("x-hqadz-owner-scoped") != r["owner_scoped"]:
            problems.append(f"{r['method']} {path}: x-hqadz-owner-scoped differs from "
                            f"`hqadz routes`")
    for path, item in document["paths"].items():
        for method, op in item.items():
            if (path, method) not in seen and "demo" not in op.get("tags", []):
                problems.append(f"{method.upper()} {path}: only in the document, not tagged demo")
    return problems


def main():
    hqadz, expected_path = sys.argv[1], sys.argv[2]
    generated = subprocess.run([hqadz, "openapi"], check=True, capture_output=True,
                               text=True).stdout
    try:
        with open(expected_path, encoding="utf-8") as f:
            expected = f.read()
    except FileNotFoundError:
        expected = ""
    problems = access_problems(hqadz, json.loads(generated))
    for p in problems:
        print(f"FAIL {p}")
    if generated == expected and not problems:
        print(f"{expected_path} is current; access and ownership match `hqadz routes`")
        return 0
    if generated == expected:
        return 1
    diff = list(difflib.unified_diff(expected.splitlines(), generated.splitlines(),
                                     expected_path, "hqadz openapi", lineterm=""))
    print("\n".join(diff[:80]))
    if len(diff) > 80:
        print(f"... ({len(diff) - 80} more diff lines)")
    print(f"\n{expected_path} is out of date with the routes. Regenerate it:\n"
          f"    scripts/gen-openapi    (or: {hqadz} openapi > web/openapi.json)")
    return 1


if __name__ == "__main__":
    sys.exit(main())
