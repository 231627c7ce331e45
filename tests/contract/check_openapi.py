#!/usr/bin/python3
"""Fails when web/openapi.json is not exactly what `hqadz openapi` prints today.

    check_openapi.py HQADZ_BIN EXPECTED_FILE
"""
import difflib
import subprocess
import sys


def main():
    hqadz, expected_path = sys.argv[1], sys.argv[2]
    generated = subprocess.run([hqadz, "openapi"], check=True, capture_output=True,
                               text=True).stdout
    try:
        with open(expected_path, encoding="utf-8") as f:
            expected = f.read()
    except FileNotFoundError:
        expected = ""
    if generated == expected:
        print(f"{expected_path} is current")
        return 0
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
