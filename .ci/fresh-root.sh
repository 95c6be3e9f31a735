#!/usr/bin/env bash
# .ci/fresh-root.sh: run the README's commands on a Debian 12 that has nothing
# installed, so that a package missing from ./dev shows up as a failure here
# rather than on a user's machine.
#
#   1. a pristine minimal Debian 12 root (debootstrap --variant=minbase
#      bookworm) is kept as a tarball in $SLOTLOCK_CI_CACHE (default
#      /var/cache/slotlock-ci, outside the checkout); it is built when missing;
#   2. every run unpacks that tarball into a new directory, so nothing an
#      earlier run installed can hide a missing install step;
#   3. `git archive HEAD` of this checkout (no .git, no build outputs: what a
#      release tarball holds) goes to /work/slotlock in the root, and ../shared
#      (when there is one) beside it, as on CI; without history the upgrade suite
#      meets format 1 through the frozen 0.1.x polyfill (tests/upgrade/format1),
#      not the 0.1.0 extension, and says so: stage 2 (the clone) runs the latter;
#   4. inside (chroot; /proc, /sys, /dev mounted and unmounted on exit, whatever
#      happens) with an empty environment: `./dev demo`, `./dev test --quick`,
#      `./dev bench --quick` (its 70 s smoke run), then the README's install block (.ci/readme-install.sh: apt-get, pecl
#      install, phpenmod, php --ri). They install what they need with apt-get,
#      from the host's apt sources.
#
# Downloaded .debs are cached in $SLOTLOCK_CI_CACHE/debs-bookworm (a cache of
# files, not of installed packages). Needs root, debootstrap, tar, chroot, mount.
#
# usage: .ci/fresh-root.sh [--rebuild] [-- COMMAND...]
#   --rebuild   build a new pristine root even when one is cached
#   COMMAND     run this (bash -c) in the root instead of the demo and quick test
set -euo pipefail

CHECKOUT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${SLOTLOCK_CI_CACHE:-/var/cache/slotlock-ci}
SUITE=${SLOTLOCK_CI_SUITE:-bookworm}   # another Debian release: scripts/newer-php.sh
PRISTINE=$CACHE/$SUITE-minbase.tar
say() { printf '==> fresh-root: %s\n' "$*" >&2; }
die() { printf 'fresh-root: %s\n' "$*" >&2; exit 1; }

rebuild=0
inner=
while [[ $# -gt 0 ]]; do
    case "$1" in
        --rebuild) rebuild=1; shift ;;
        --) shift; inner=$*; break ;;
        *) die "usage: $0 [--rebuild] [-- COMMAND...]" ;;
    esac
done
[[ -n "$inner" ]] || inner='./dev demo && ./dev test --quick && ./dev bench --quick && bash .ci/readme-install.sh'

[[ $(id -u) -eq 0 ]] || die "needs root (debootstrap, chroot, mount)"
for tool in debootstrap chroot mount umount tar git; do
    if ! command -v "$tool" >/dev/null; then
        [[ "$tool" == debootstrap ]] && { say "installing debootstrap"; DEBIAN_FRONTEND=noninteractive apt-get install -y debootstrap >&2; continue; }
        die "$tool not found"
    fi
done

# The host's Debian mirror: the first deb822 URIs line (or one-line "deb"
# entry) that serves $SUITE.
mirror() {
    local f uri
    for f in /etc/apt/sources.list.d/*.sources; do
        [[ -f "$f" ]] || continue
        grep -qE "^Suites:.*\\b$SUITE\\b" "$f" || continue
        uri=$(sed -n 's/^URIs:[[:space:]]*\([^[:space:]]*\).*/\1/p' "$f" | grep -v security | head -n1)
        [[ -n "$uri" ]] && { echo "$uri"; return; }
    done
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [[ -f "$f" ]] || continue
        uri=$(sed -n "s/^deb[[:space:]]\\{1,\\}\\(\\[[^]]*\\][[:space:]]\\{1,\\}\\)\\{0,1\\}\\([^[:space:]]*\\)[[:space:]]\\{1,\\}$SUITE[[:space:]].*/\\2/p" "$f" | head -n1)
        [[ -n "$uri" ]] && { echo "$uri"; return; }
    done
    echo http://deb.debian.org/debian
}

mkdir -p "$CACHE/debs-$SUITE" "$CACHE/debootstrap-$SUITE"
t0=$SECONDS

# ---- 1. the pristine root ---------------------------------------------------
if [[ $rebuild == 1 || ! -s "$PRISTINE" ]]; then
    build=$CACHE/build.$$
    rm -rf "$build"
    say "building the pristine root: debootstrap --variant=minbase $SUITE from $(mirror)"
    if ! debootstrap --variant=minbase --cache-dir="$CACHE/debootstrap-$SUITE" \
            "$SUITE" "$build" "$(mirror)" >"$CACHE/debootstrap-$SUITE.log" 2>&1; then
        tail -n 30 "$CACHE/debootstrap-$SUITE.log" >&2
        rm -rf "$build"
        die "debootstrap failed (log: $CACHE/debootstrap-$SUITE.log)"
    fi
    tar -C "$build" -cf "$PRISTINE.tmp" --numeric-owner .
    mv "$PRISTINE.tmp" "$PRISTINE"
    rm -rf "$build"
    say "pristine root built in $((SECONDS - t0)) s: $PRISTINE ($(du -h "$PRISTINE" | cut -f1))"
else
    say "pristine root from the cache: $PRISTINE ($(date -r "$PRISTINE" '+%F %T'))"
fi

# ---- 2. a fresh copy for this run -------------------------------------------
root=$(mktemp -d /var/tmp/slotlock-root.XXXXXX)
mounted=()
cleanup() {
    local rc=$? i pid
    # whatever still runs in the root (a redis-server a killed test left): stop it
    for pid in $(ls /proc | grep -E '^[0-9]+$'); do
        [[ "$(readlink "/proc/$pid/root" 2>/dev/null)" == "$root" ]] && kill -9 "$pid" 2>/dev/null || true
    done
    for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
        umount -R "${mounted[i]}" 2>/dev/null || umount -lR "${mounted[i]}" 2>/dev/null \
            || say "could not unmount ${mounted[i]}"
    done
    if grep -qF " $root/" /proc/mounts; then
        say "still mounted under $root: left in place"
    else
        rm -rf "$root"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

tar -C "$root" -xf "$PRISTINE" --numeric-owner
cp -L /etc/resolv.conf "$root/etc/resolv.conf"
# the host's apt sources (and the keyrings they name), and nothing else of apt;
# for another release than the host's, its main component from the same mirror
rm -f "$root/etc/apt/sources.list"
if [[ "$SUITE" != bookworm ]]; then
    echo "deb $(mirror) $SUITE main" >"$root/etc/apt/sources.list"
else
    cp -L /etc/apt/sources.list "$root/etc/apt/" 2>/dev/null || true
    for f in /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
        [[ -f "$f" ]] && cp -L "$f" "$root/etc/apt/sources.list.d/"
    done
fi
for key in $(sed -n 's/.*\(Signed-By:\|signed-by=\)[[:space:]]*\(\/[^] ]*\).*/\2/p' \
        /etc/apt/sources.list /etc/apt/sources.list.d/* 2>/dev/null | sort -u); do
    [[ -f "$key" && ! -f "$root$key" ]] && { mkdir -p "$root$(dirname "$key")"; cp -L "$key" "$root$key"; }
done

# ---- 3. the checkout, as a release tarball would hold it ----------------------
mkdir -p "$root/work/slotlock"
git -C "$CHECKOUT" archive --format=tar HEAD | tar -C "$root/work/slotlock" -xf -
if [[ -d "$CHECKOUT/../shared" ]]; then
    mkdir -p "$root/work/shared"
    tar -C "$CHECKOUT/../shared" --exclude=.git -cf - . | tar -C "$root/work/shared" -xf -
fi
say "root ready in $root after $((SECONDS - t0)) s: HEAD $(git -C "$CHECKOUT" rev-parse --short HEAD)"

# ---- 4. run ---------------------------------------------------------------------
mount -t proc proc "$root/proc";          mounted+=("$root/proc")
mount --rbind /sys "$root/sys";           mounted+=("$root/sys")
mount --make-rslave "$root/sys"
mount --rbind /dev "$root/dev";           mounted+=("$root/dev")
mount --make-rslave "$root/dev"
mount --bind "$CACHE/debs-$SUITE" "$root/var/cache/apt/archives"; mounted+=("$root/var/cache/apt/archives")
mkdir -p "$root/var/cache/apt/archives/partial"

say "in the root: $inner"
rc=0
chroot "$root" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    CI=true DEBIAN_FRONTEND=noninteractive \
    /bin/bash -c "cd /work/slotlock && $inner" </dev/null || rc=$?
say "in the root: exit $rc after $((SECONDS - t0)) s in all"
exit "$rc"
