#!/usr/bin/env bash
# Starts a private CNCF distribution registry on 127.0.0.1:PORT for the tests and the demo.
#
#   build/start-registry.sh [PORT] [STORAGE_DIR] [HTPASSWD_FILE]
#
# PORT defaults to 5000, STORAGE_DIR to ${TMPDIR:-/tmp}/multiarch-registry-PORT. The registry keeps its
# blobs in STORAGE_DIR/data, logs to STORAGE_DIR/registry.log and writes its pid to STORAGE_DIR/registry.pid
# (stop it with: kill "$(cat STORAGE_DIR/registry.pid)"). Deletes are enabled so tests can clean up.
# Safe to run again: if something already answers /v2/ on the port, nothing is started.
# With HTPASSWD_FILE (as `htpasswd -B` writes it) the registry demands Basic auth from those users instead of
# being open; it then answers /v2/ with 401, and the port must be free (nothing is reused or stopped).
set -euo pipefail

port="${1:-5000}"
storage="${2:-${TMPDIR:-/tmp}/multiarch-registry-$port}"
htpasswd_file="${3:-}"
url="http://127.0.0.1:$port/v2/"
timeout_seconds=30

if [ -n "$htpasswd_file" ]; then
  [ -f "$htpasswd_file" ] || { echo "error: htpasswd file $htpasswd_file does not exist" >&2; exit 1; }
  htpasswd_file="$(cd "$(dirname "$htpasswd_file")" && pwd)/$(basename "$htpasswd_file")"
  # A registry with auth answers 401 until a client logs in; that is how it shows it is up.
  answers() { [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$url" || true)" = 401 ]; }
else
  answers() { curl -sf -o /dev/null --max-time 2 "$url"; }
fi

command -v docker-registry >/dev/null || {
  echo "error: docker-registry is not installed; run build/install-prereqs.sh" >&2; exit 1; }
command -v curl >/dev/null || { echo "error: curl is not installed" >&2; exit 1; }

if [ -n "$htpasswd_file" ]; then
  # Whatever answers here does not know this htpasswd file, so it cannot stand in for the registry asked for.
  status="$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$url" || true)"
  if [ "$status" != "000" ]; then
    echo "error: something on 127.0.0.1:$port already answers HTTP $status; pick another port" >&2
    exit 1
  fi
elif answers; then
  # An open registry already serves this port (usually this script's own from an earlier run).
  echo "Registry already answering at $url"
  exit 0
fi

# Something answers, but not as an open registry: typically the Debian package's own service on :5000,
# which demands htpasswd auth. Tests need an open registry, so stop that service rather than fail later
# with confusing auth errors; anything else on the port is the caller's to sort out.
status="$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$url" || true)"
if [ "$status" != "000" ]; then
  if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet docker-registry 2>/dev/null; then
    echo "Stopping the packaged docker-registry service that holds port $port (it requires auth)"
    systemctl stop docker-registry
  else
    echo "error: something on 127.0.0.1:$port answers HTTP $status, not an open registry; pick another port" >&2
    exit 1
  fi
fi

mkdir -p "$storage/data"
storage="$(cd "$storage" && pwd)"
config="$storage/config.yml"
cat >"$config" <<EOF
version: 0.1
log:
  level: info
  fields:
    service: multiarch-test-registry
storage:
  filesystem:
    rootdirectory: $storage/data
  delete:
    enabled: true
  cache:
    blobdescriptor: inmemory
http:
  addr: 127.0.0.1:$port
  headers:
    X-Content-Type-Options: [nosniff]
EOF
if [ -n "$htpasswd_file" ]; then
  cat >>"$config" <<EOF
auth:
  htpasswd:
    realm: multiarch-test-registry
    path: $htpasswd_file
EOF
fi

# setsid detaches the server from this shell's process group, so it outlives the caller's job control.
setsid docker-registry serve "$config" >>"$storage/registry.log" 2>&1 </dev/null &
pid=$!
echo "$pid" >"$storage/registry.pid"

for _ in $(seq 1 $((timeout_seconds * 5))); do
  if answers; then
    echo "Registry ready at $url (pid $pid, storage $storage)"
    exit 0
  fi
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "error: docker-registry exited early; last log lines from $storage/registry.log:" >&2
    tail -n 20 "$storage/registry.log" >&2
    exit 1
  fi
  sleep 0.2
done

echo "error: registry did not answer $url within ${timeout_seconds}s; see $storage/registry.log" >&2
kill "$pid" 2>/dev/null || true
exit 1
