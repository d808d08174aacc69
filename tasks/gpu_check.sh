#!/usr/bin/env bash
# The GPU check, offline: unpacks a folder made by tasks/gpu_pack.sh (Deno, the project, its npm
# packages and MNIST, the Vulkan loader .debs) into a temporary folder, confirms that navigator.gpu
# finds a Vulkan adapter (DENO_WEBGPU_BACKEND=vulkan), trains the conv AE for one epoch on webgpu
# and prints seconds per epoch, test loss and the adapter (tasks/gpu_check.ts).
#
# usage: tasks/gpu_check.sh PACK_DIR [--train-size N] [--allow-software] [--lavapipe]
#   --train-size N     train on a seeded subset of N images (default: all 60,000)
#   --allow-software   accept a software adapter (a dry run; the check refuses one otherwise)
#   --lavapipe         use the pack's Mesa lavapipe (gpu_pack.sh --lavapipe) as the Vulkan driver:
#                      the whole path, Vulkan included, on a machine without a GPU
# needs: bash, xz, tar, sha256sum, dpkg-deb (or ar); no root, no network. Leaves nothing behind.
set -euo pipefail
[ $# -ge 1 ] && [ -d "$1" ] || { echo "error: usage: $0 PACK_DIR [--train-size N] [--allow-software] [--lavapipe]" >&2; exit 2; }
pack=$(cd "$1" && pwd)
shift
lavapipe=0 args=()
for arg in "$@"; do
  if [ "$arg" = --lavapipe ]; then lavapipe=1; args+=(--allow-software); else args+=("$arg"); fi
done
work=$(mktemp -d "${TMPDIR:-/tmp}/diabolo-gpu.XXXXXX")
trap 'rm -rf "$work"' EXIT

(cd "$pack" && sha256sum --quiet -c SHA256SUMS) || { echo "error: $pack: checksums do not match SHA256SUMS" >&2; exit 2; }
xz -dc "$pack/deno.xz" >"$work/deno" && chmod +x "$work/deno"
mkdir "$work/diabolo" "$work/root"
xz -dc "$pack/diabolo.tar.xz" | tar -C "$work/diabolo" -xf -
xz -dc "$pack/deno_dir.tar.xz" | tar -C "$work" -xf -
for deb in "$pack"/debs/*.deb; do
  if command -v dpkg-deb >/dev/null; then
    dpkg-deb -x "$deb" "$work/root"
  else
    (cd "$work" && ar p "$deb" "$(ar t "$deb" | grep '^data.tar')" | tar -C root -xJf -)
  fi
done
lib="$work/root/usr/lib/x86_64-linux-gnu"
export LD_LIBRARY_PATH="$lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
if [ "$lavapipe" = 1 ]; then
  icd=$(ls "$work"/root/usr/share/vulkan/icd.d/lvp_icd*.json 2>/dev/null | head -1)
  [ -n "$icd" ] || { echo "error: $pack has no lavapipe driver (pack it with gpu_pack.sh --lavapipe)" >&2; exit 2; }
  sed -i "s|\"library_path\": *\"[^\"]*/|\"library_path\": \"$lib/|" "$icd"
  export VK_ICD_FILENAMES="$icd" VK_DRIVER_FILES="$icd"
fi
export DENO_WEBGPU_BACKEND=vulkan DENO_DIR="$work/deno_dir" DENO_NO_UPDATE_CHECK=1
echo "deno: $("$work/deno" --version | head -1)"
echo "vulkan devices (vulkaninfo --summary):"
"$work/root/usr/bin/vulkaninfo" --summary 2>/dev/null | grep -E "deviceName|driverName|apiVersion" | sed 's/^ */  /' ||
  echo "  vulkaninfo found none"
cd "$work/diabolo"
mnist=$("$work/deno" run --cached-only tasks/mnist_dir.ts)
"$work/deno" run --cached-only --allow-read=.,"$mnist" --allow-write=.tmp tasks/gpu_check.ts "${args[@]}"
