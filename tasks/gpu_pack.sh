#!/usr/bin/env bash
# Packs the folder tasks/gpu_check.sh needs on a Linux x86-64 machine with a GPU and no internet:
#   deno.xz            this machine's Deno binary, xz-compressed
#   diabolo.tar.xz     the project at HEAD (git archive)
#   deno_dir.tar.xz    a DENO_DIR holding only the npm packages (and MNIST) of tasks/gpu_check.ts
#   debs/*.deb         the Vulkan loader (libvulkan1) and vulkaninfo (vulkan-tools), from apt
#   SHA256SUMS
# With --lavapipe it adds Mesa's software Vulkan driver (mesa-vulkan-drivers, ~8 MB) so the check
# can be dry-run end to end through Vulkan on a machine without a GPU.
#
# usage: tasks/gpu_pack.sh [OUT_DIR] [--lavapipe]     (default OUT_DIR: .tmp/gpu_pack)
# needs: deno, git, xz, apt-get; network to the npm registry and Debian apt.
set -euo pipefail
cd "$(dirname "$0")/.."
out=.tmp/gpu_pack lavapipe=0
for arg in "$@"; do
  case "$arg" in
    --lavapipe) lavapipe=1 ;;
    -*) echo "error: unknown option $arg (expected --lavapipe)" >&2; exit 2 ;;
    *) out=$arg ;;
  esac
done
rm -rf "$out.partial"
mkdir -p "$out.partial/debs"
stage=$(mktemp -d)
trap 'rm -rf "$stage" "$out.partial"' EXIT

xz -T0 -9 -c "$(readlink -f "$(command -v deno)")" >"$out.partial/deno.xz"
git archive --format=tar HEAD | xz -T0 -9 >"$out.partial/diabolo.tar.xz"
# A fresh DENO_DIR filled by resolving the check's module graph: only the packages it imports.
DENO_DIR="$stage/deno_dir" deno cache --quiet tasks/gpu_check.ts tasks/mnist_dir.ts
tar -C "$stage" -cf - deno_dir | xz -T0 -9 >"$out.partial/deno_dir.tar.xz"
debs=(libvulkan1 vulkan-tools)
[ "$lavapipe" = 1 ] && debs+=(mesa-vulkan-drivers)
# apt-get download writes to the current folder; as root it warns that _apt cannot write there.
(cd "$out.partial/debs" && apt-get download -q "${debs[@]}" 2>&1 | grep -v "unsandboxed" || true)
for d in "${debs[@]}"; do
  ls "$out.partial/debs/${d}_"*.deb >/dev/null || { echo "error: apt-get download $d failed" >&2; exit 1; }
done
(cd "$out.partial" && sha256sum deno.xz diabolo.tar.xz deno_dir.tar.xz debs/*.deb >SHA256SUMS)
rm -rf "$out"
mv "$out.partial" "$out"
echo "packed $out:"
(cd "$out" && du -b deno.xz diabolo.tar.xz deno_dir.tar.xz debs/*.deb | awk '{printf "  %6.1f MB  %s\n", $1 / 1e6, $2}')
echo "  $(du -sb "$out" | awk '{printf "%.1f MB", $1 / 1e6}') in all; copy it over and run tasks/gpu_check.sh $out"
