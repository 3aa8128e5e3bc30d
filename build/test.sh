#!/usr/bin/env bash
# Runs every test: unit tests, fault-injection tests against the in-process fake registry, and
# integration tests against a real docker-registry checked with skopeo, umoci, oci-image-tool
# and podman. Installs those tools first. Ends with a line "N passed, N failed".
set -uo pipefail
# dotnet, NuGet and the base-image cache all live under HOME; a bare CI environment may not set it.
if [ -z "${HOME:-}" ]; then HOME="$(getent passwd "$(id -u)" | cut -d: -f6)"; export HOME; fi
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

bash build/install-prereqs.sh || exit 1

# Build everything first, then test what was built: a test fixture that packs or builds (the end-to-end
# package, the tool) must never run while other projects of the solution are still building.
dotnet build MultiArch.Build.sln -c Release -nologo -v:q -clp:ErrorsOnly || { echo "0 passed, 1 failed"; exit 1; }
results="$(mktemp -d)"
dotnet test MultiArch.Build.sln -c Release --no-build --logger "console;verbosity=normal" --logger trx --results-directory "$results" "$@"
status=$?

# One pass over every test assembly's TRX report: name each failed test with the first lines of its message (so
# that the tail of a CI log says what failed), then the sum of the counters.
python3 - "$results" >"$results/failures.txt" <<'PY' || true
import glob, sys, xml.etree.ElementTree as ET
ns = "{http://microsoft.com/schemas/VisualStudio/TeamTest/2010}"
passed = failed = 0
for trx in sorted(glob.glob(sys.argv[1] + "/*.trx")):
    root = ET.parse(trx).getroot()
    counters = root.find(f"{ns}ResultSummary/{ns}Counters")
    if counters is not None:
        passed += int(counters.get("passed", 0)); failed += int(counters.get("failed", 0))
    for r in root.iter(ns + "UnitTestResult"):
        if r.get("outcome") != "Failed":
            continue
        msg = r.find(f"{ns}Output/{ns}ErrorInfo/{ns}Message")
        text = (msg.text or "").strip().splitlines() if msg is not None else []
        print("FAILED " + r.get("testName", "?"))
        for line in text[:6]:
            print("    " + line[:300])
open(sys.argv[1] + "/counts.txt", "w").write(f"{passed} {failed}\n")
PY
cat "$results/failures.txt" 2>/dev/null
passed=0; failed=0
[ -f "$results/counts.txt" ] && read -r passed failed <"$results/counts.txt"
rm -rf "$results"
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "$passed passed, $failed failed"
exit "$status"
