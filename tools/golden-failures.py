#!/usr/bin/env python3
"""Lists failing golden cases with their text and what failed.

Usage: tools/golden-failures.py [--review] [FILTER]
  (runs build/tests/kalm_core_test; --review: the reply coach's golden drafts in
  tests/core/review instead of the analyzer's cases in tests/core/golden)
"""
import glob, os, re, subprocess, sys

args = sys.argv[1:]
review = "--review" in args
args = [a for a in args if a != "--review"]
flt = args[0] if args else ""
folder = "tests/core/review" if review else "tests/core/golden"
test_filter = "Reviewer/ReviewGolden*" if review else "Analyzer/Golden*"

cases = {}
for f in glob.glob(folder + "/*/*.golden"):
    cur = None
    for line in open(f, encoding="utf-8"):
        line = line.rstrip("\n")
        if line.startswith("## "):
            cur = line[3:]
            cases[cur] = {"text": [], "keys": []}
        elif cur and (line == "|" or line.startswith("| ")):
            cases[cur]["text"].append(line[2:])
        elif cur and not cases[cur]["text"] and (
                line.startswith("> ") or (":" in line and not line.startswith("#"))):
            cases[cur]["keys"].append(line)

env = dict(os.environ, KALM_GOLDEN_ALL="1")
out = subprocess.run(["build/tests/kalm_core_test", "--gtest_filter=" + test_filter],
                     capture_output=True, text=True, env=env).stdout
if "[  PASSED  ]" not in out and "[  FAILED  ]" not in out:
    sys.exit("the golden test did not run:\n" + out[-2000:])
fails = {}
for line in out.splitlines():
    m = re.match(r"^\S+\.golden:\d+ (\S+): (.*)$", line)
    if m:
        fails.setdefault(m.group(1), []).append(m.group(2))
n = 0
for cid, ms in sorted(fails.items()):
    if flt and flt not in cid and not any(flt in x for x in ms):
        continue
    n += 1
    c = cases.get(cid, {"text": [], "keys": []})
    print(f"== {cid}: " + " / ".join(c["text"])[:400])
    for k in c["keys"]:
        if not k.startswith("note"):
            print("   ", k[:200])
    for x in ms:
        print("   !", x[:200])
print(f"{n} failing cases", file=sys.stderr)
