#!/usr/bin/env python3
"""Verifies a SegTrial audit-trail export (JSON) offline, independently of the application.

Each row's hash must equal SHA-256 of its prev_hash, a newline, and the canonical JSON (keys sorted
recursively, no spaces) of {occurredAt, actorUserId, actorRole, action, entityType, entityId,
trialId, before, after, request}. Rows whose ids are consecutive must also chain (prev_hash of the
later equals hash of the earlier). Rows marked `redacted` (allocations removed for a blinded reader)
cannot match their hash and are reported, not failed.

Usage: python3 scripts/verify-audit-export.py audit-trail.json   (exit 0 when every row verifies)
"""
import hashlib
import json
import sys


def canonical(value):
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ",".join(canonical(v) for v in value) + "]"
    if isinstance(value, dict):
        items = sorted(value.items(), key=lambda kv: kv[0])
        return "{" + ",".join(json.dumps(k, ensure_ascii=False) + ":" + canonical(v) for k, v in items) + "}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return json.dumps(value, ensure_ascii=False)


def row_hash(row):
    content = canonical({k: row.get(k) for k in ["occurredAt", "actorUserId", "actorRole", "action", "entityType", "entityId", "trialId", "before", "after", "request"]})
    return hashlib.sha256((row["prevHash"] + "\n" + content).encode("utf-8")).hexdigest()


def main(path):
    with open(path, encoding="utf-8") as f:
        export = json.load(f)
    rows = export["rows"]
    bad, redacted, previous = [], 0, None
    for row in rows:
        if row.get("redacted"):
            redacted += 1
        elif row_hash(row) != row["hash"]:
            bad.append(f"row {row['id']}: content does not match its hash")
        if previous is not None and row["id"] == previous["id"] + 1 and row["prevHash"] != previous["hash"]:
            bad.append(f"row {row['id']}: prev_hash does not match row {previous['id']}")
        previous = row
    for line in bad:
        print(line)
    print(f"{'FAILED' if bad else 'ok'}: {len(rows)} rows, {len(rows) - redacted - len(bad)} verified, {redacted} redacted, {len(bad)} failed")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
