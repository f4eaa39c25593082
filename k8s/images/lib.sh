# Shared by the image scripts. Sourced, not executed.
IMAGES_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
WRC_CACHE="${WRC_CACHE:-$HOME/.cache/webrtc-cluster}"
log() { printf '[images %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# copy_with_libs ROOTFS FILE...: each file at its own path under ROOTFS, with every shared library it
# loads (ldd), so a Debian binary runs in an image that has nothing else.
copy_with_libs() {
  local root=$1 f lib; shift
  for f in "$@"; do
    mkdir -p "$root$(dirname "$f")" && cp -L "$f" "$root$f"
    for lib in $(ldd "$f" 2>/dev/null | grep -o '/[^ ]*'); do
      [[ -e "$root$lib" ]] || { mkdir -p "$root$(dirname "$lib")" && cp -L "$lib" "$root$lib"; }
    done
  done
}

# base_files ROOTFS: users (root, nobody, nonroot 65532), a world-writable /tmp, name resolution by files then DNS.
base_files() {
  local root=$1
  mkdir -p "$root/etc" "$root/tmp" && chmod 1777 "$root/tmp"
  printf '%s\n' 'root:x:0:0:root:/root:/sbin/nologin' 'nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin' \
    'nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin' > "$root/etc/passwd"
  printf '%s\n' 'root:x:0:' 'nogroup:x:65534:' 'nonroot:x:65532:' > "$root/etc/group"
  echo 'hosts: files dns' > "$root/etc/nsswitch.conf"
  mkdir -p "$root/home/nonroot" && chmod 0755 "$root/home/nonroot"
}
