#!/usr/bin/env bash
# Packs MultiArch.Build into artifacts/packages with a version that is new each time (so NuGet's
# global package cache never serves a stale build) and prints that version.
# The pack builds in its own folder (artifacts/pack-build), never in the projects' bin/ and obj/: a build
# stamped with the pack's version must not replace the assemblies that a solution build running at the
# same time (dotnet test starts a test project while others still build) is copying into test folders.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
version="${1:-0.1.0-dev.$(date -u +%Y%m%d%H%M%S)}"
dotnet pack "$root/nuget/MultiArch.Build.Package.csproj" -c Release -p:Version="$version" \
  -o "$root/artifacts/packages" --artifacts-path "$root/artifacts/pack-build" >&2
echo "$version"
