"""The floor for batch pre-checks: plain Python, one region's rules as if/else.

Reads JSONL of {"region": "liemers", "answers": {...}}, writes one JSON result
a line. No validation, no translations, no why: the least work possible.
"""

import json
import sys


def decide(a):
    if not a.get("needs_exceed_basic"):
        return {"route": "basis", "missing": []}
    missing = []
    if not a.get("ab_involved"):
        missing.append("ab_involved")
    if not a.get("ab_supports_request"):
        missing.append("ab_supports_request")
    if not a.get("opp_present"):
        missing.append("opp_present")
    if not a.get("opp_signed_by_parents"):
        missing.append("opp_signed_by_parents")
    if not a.get("parents_support_request"):
        missing.append("parents_support_request")
    if a.get("hgw_months", 0) < 6:
        missing.append("hgw_months")
    if a.get("school_share_pct", 0) < 50 and not a.get("school_share_justified"):
        missing.append("school_share_pct")
    if not a.get("zware_middelen_used"):
        missing.append("zware_middelen_used")
    if missing:
        return {"route": "not_yet", "missing": missing}
    return {"route": "arrangement", "form": "individual", "hours_per_week": min(a.get("hours_requested_per_week", 0), 3), "missing": []}


def main() -> None:
    out = sys.stdout
    for line in sys.stdin:
        case = json.loads(line)
        out.write(json.dumps({"region": case["region"], "recommendation": decide(case["answers"])}) + "\n")


if __name__ == "__main__":
    main()
