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

# Sum the counters of every test assembly's TRX report.
passed=0; failed=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters="$(grep -o '<Counters [^>]*>' "$trx" | head -1)"
  p="$(sed -E 's/.* passed="([0-9]+)".*/\1/' <<<"$counters")"
  f="$(sed -E 's/.* failed="([0-9]+)".*/\1/' <<<"$counters")"
  passed=$((passed + p)); failed=$((failed + f))
done
# Name every failed test and the first lines of its message, so that the tail of a CI log says what failed.
python3 - "$results" <<'PY' || true
import glob, sys, xml.etree.ElementTree as ET
ns = "{http://microsoft.com/schemas/VisualStudio/TeamTest/2010}"
for trx in sorted(glob.glob(sys.argv[1] + "/*.trx")):
    for r in ET.parse(trx).getroot().iter(ns + "UnitTestResult"):
        if r.get("outcome") != "Failed":
            continue
        msg = r.find(f"{ns}Output/{ns}ErrorInfo/{ns}Message")
        text = (msg.text or "").strip().splitlines() if msg is not None else []
        print("FAILED " + r.get("testName", "?"))
        for line in text[:6]:
            print("    " + line[:300])
PY
rm -rf "$results"
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "$passed passed, $failed failed"
exit "$status"
