#!/usr/bin/env bash
# web/setup.sh: install and fetch everything the web build and the browser
# tests need, on a fresh Debian 12 machine. Idempotent: a second run only
# checks, and takes a second or two.
#
#   web/setup.sh            install what is missing, then print the paths
#   web/setup.sh --print    only print the paths (no installs, no checks)
#
# What it does, in order (each step is skipped when already done):
#   1. apt-get install the Debian packages below (apt-get update first, and
#      only when something is missing).
#   2. enable Debian source packages (deb-src, bookworm main) with the same
#      URIs and Signed-By as the existing deb entry.
#   3. apt-get source imgui libsdl2 into $TCPLAB_CACHE/src (outside the tree:
#      third-party sources are never committed); link Debian's header-only
#      doctest and nlohmann-json into $TCPLAB_CACHE/include (for the engine
#      tests compiled to wasm: -I/usr/include would break them).
#   4. build SDL2 for wasm with its own CMake into $TCPLAB_CACHE/sdl2-wasm
#      (about 4 min on 2 cores, once).
#   5. npm install in tests/browser (playwright-core, scorm-again, fflate;
#      never `playwright install`: the browser is Debian's /usr/bin/chromium),
#      and npm ci in web/ (fflate, copied into dist/ for the course builder).
#   6. write $TCPLAB_CACHE/env (sh syntax) with the paths the CMake web build
#      needs; `source` it, or pass the variables as -D to cmake.
#
# Environment: TCPLAB_CACHE (default ~/.cache/tcplab).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${TCPLAB_CACHE:-${HOME:-/root}/.cache/tcplab}
SRC_DIR=$CACHE/src
IMGUI_LINK=$CACHE/imgui
SDL2_SRC_LINK=$CACHE/sdl2-src
SDL2_PREFIX=$CACHE/sdl2-wasm
SDL2_BUILD=$CACHE/build/sdl2-wasm
ENV_FILE=$CACHE/env
EM_TOOLCHAIN=/usr/share/emscripten/cmake/Modules/Platform/Emscripten.cmake
# Debian's emcc runs under the machine's node, which may not be Debian's
# (then it does not look in /usr/share/nodejs and fails on 'acorn').
export NODE_PATH=/usr/share/nodejs

PACKAGES=(
  emscripten binaryen cmake doctest-dev libsdl2-dev nlohmann-json3-dev
  chromium tshark tcpdump iproute2 fonts-wqy-microhei fonts-dejavu-core python3-fonttools fonttools
  dpkg-dev   # apt-get source unpacks with dpkg-source
  # binaryen (also pulled in by emscripten): web/split_wasm.py runs its wasm-split
)

log() { printf 'setup: %s\n' "$*"; }
die() { printf 'setup: error: %s\n' "$*" >&2; exit 1; }

print_env() {
  cat <<EOF
setup: paths for the web build (also in $ENV_FILE):
  TCPLAB_CACHE=$CACHE
  TCPLAB_IMGUI_DIR=$IMGUI_LINK
  TCPLAB_SDL2_PREFIX=$SDL2_PREFIX
  TCPLAB_HOST_HEADERS=$CACHE/include   (doctest/, nlohmann/ only)
  TCPLAB_EMSCRIPTEN_TOOLCHAIN=$EM_TOOLCHAIN
  NODE_PATH=$NODE_PATH
  cmake --preset web -DTCPLAB_IMGUI_DIR=$IMGUI_LINK -DTCPLAB_SDL2_PREFIX=$SDL2_PREFIX -DDOCTEST_INCLUDE_DIR=$CACHE/include
EOF
}

if [[ ${1:-} == --print ]]; then print_env; exit 0; fi
[[ $# -eq 0 ]] || die "unknown argument: $1 (usage: web/setup.sh [--print])"

mkdir -p "$CACHE"

# Root, or sudo when there is one; otherwise only the non-root steps work.
SUDO=()
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then SUDO=(sudo); fi
fi
as_root() {
  if [[ $(id -u) -ne 0 && ${#SUDO[@]} -eq 0 ]]; then
    die "need root (or sudo) for: $*"
  fi
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive "$@"
}

APT_UPDATED=0
apt_update() {
  if [[ $APT_UPDATED -eq 0 ]]; then
    log "apt-get update"
    as_root apt-get update -qq
    APT_UPDATED=1
  fi
}

# ---------------------------------------------------------------- 1. packages
missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
if [[ ${#missing[@]} -gt 0 ]]; then
  apt_update
  # tshark asks whether non-root users may capture; answer no, without a prompt.
  echo 'wireshark-common wireshark-common/install-setuid boolean false' \
    | as_root debconf-set-selections || true
  log "apt-get install ${missing[*]} (log: $CACHE/apt-install.log)"
  as_root apt-get install -y -q "${missing[@]}" > "$CACHE/apt-install.log" 2>&1 \
    || { tail -n 40 "$CACHE/apt-install.log" >&2; die "apt-get install failed"; }
else
  log "Debian packages: all ${#PACKAGES[@]} installed"
fi
[[ -f $EM_TOOLCHAIN ]] || die "emscripten's CMake toolchain file is not at $EM_TOOLCHAIN"

# ---------------------------------------------------------------- 2. deb-src
have_deb_src() {
  grep -Eqs '^[[:space:]]*deb-src[[:space:]].*bookworm[[:space:]].*main' \
      /etc/apt/sources.list /etc/apt/sources.list.d/*.list && return 0
  # deb822: a stanza whose Types has deb-src and whose Suites has bookworm.
  awk 'BEGIN{RS=""; found=0}
       /(^|\n)Types:[^\n]*deb-src/ && /(^|\n)Suites:[^\n]*[[:space:]]bookworm([[:space:]]|\n|$)/ {found=1}
       END{exit !found}' /etc/apt/sources.list.d/*.sources 2>/dev/null
}
if have_deb_src; then
  log "deb-src for bookworm: enabled"
else
  # Take URIs and Signed-By from the existing deb stanza for bookworm.
  uris=http://deb.debian.org/debian
  signed=/usr/share/keyrings/debian-archive-keyring.gpg
  if [[ -f /etc/apt/sources.list.d/debian.sources ]]; then
    stanza=$(awk 'BEGIN{RS=""} /(^|\n)Suites:[^\n]*[[:space:]]bookworm([[:space:]]|\n|$)/ {print; exit}' \
      /etc/apt/sources.list.d/debian.sources)
    u=$(printf '%s\n' "$stanza" | sed -n 's/^URIs:[[:space:]]*//p' | head -n1)
    s=$(printf '%s\n' "$stanza" | sed -n 's/^Signed-By:[[:space:]]*//p' | head -n1)
    [[ -n $u ]] && uris=$u
    [[ -n $s ]] && signed=$s
  fi
  log "enabling deb-src: $uris bookworm main (/etc/apt/sources.list.d/tcplab-src.sources)"
  printf 'Types: deb-src\nURIs: %s\nSuites: bookworm\nComponents: main\nSigned-By: %s\n' \
    "$uris" "$signed" | as_root tee /etc/apt/sources.list.d/tcplab-src.sources >/dev/null
  APT_UPDATED=0
fi
if ! compgen -G '/var/lib/apt/lists/*_dists_bookworm_main_source_Sources*' >/dev/null; then
  APT_UPDATED=0
  apt_update
fi

# ---------------------------------------------------------------- 3. sources
mkdir -p "$SRC_DIR"
fetch_source() {  # $1 source package, $2 file that marks its unpacked tree
  local pkg=$1 marker=$2 dir
  dir=$(find "$SRC_DIR" -mindepth 2 -maxdepth 2 -path "$SRC_DIR/$pkg-*/$marker" -printf '%h\n' 2>/dev/null | sort -V | tail -n1)
  if [[ -z $dir ]]; then
    log "apt-get source $pkg (into $SRC_DIR)" >&2
    # apt-get source runs as the current user: no root needed.
    (cd "$SRC_DIR" && apt-get source -qq "$pkg" 2>&1 | grep -v 'unsandboxed as root' >&2 || true)
    dir=$(find "$SRC_DIR" -mindepth 2 -maxdepth 2 -path "$SRC_DIR/$pkg-*/$marker" -printf '%h\n' 2>/dev/null | sort -V | tail -n1)
    [[ -n $dir ]] || die "apt-get source $pkg did not unpack a tree with $marker"
  fi
  printf '%s\n' "$dir"
}
imgui_dir=$(fetch_source imgui imgui.cpp)
sdl2_dir=$(fetch_source libsdl2 CMakeLists.txt)
ln -sfn "$imgui_dir" "$IMGUI_LINK"
ln -sfn "$sdl2_dir" "$SDL2_SRC_LINK"
[[ -f $IMGUI_LINK/backends/imgui_impl_sdl.cpp && -f $IMGUI_LINK/backends/imgui_impl_opengl3.cpp ]] \
  || die "$imgui_dir has no backends/imgui_impl_sdl.cpp / imgui_impl_opengl3.cpp"
log "ImGui source: $imgui_dir"
log "SDL2 source:  $sdl2_dir"

# Header-only libraries from Debian (doctest, nlohmann-json) for wasm builds:
# a folder with only them, since -I/usr/include would put the host's libc
# headers in front of Emscripten's.
HOST_HEADERS=$CACHE/include
mkdir -p "$HOST_HEADERS"
for h in doctest nlohmann; do
  [[ -d /usr/include/$h ]] || die "/usr/include/$h is missing"
  ln -sfn "/usr/include/$h" "$HOST_HEADERS/$h"
done

# ---------------------------------------------------------------- 4. SDL2 for wasm
# The stamp names the source tree it was built from: a new SDL2 version rebuilds.
stamp=$SDL2_PREFIX/.tcplab-built-from
if [[ -f $stamp && $(cat "$stamp") == "$(basename "$sdl2_dir")" && -f $SDL2_PREFIX/lib/libSDL2.a ]]; then
  log "SDL2 for wasm: already installed in $SDL2_PREFIX"
else
  log "building SDL2 for wasm (about 4 min on 2 cores, once) -> $SDL2_PREFIX"
  rm -rf "$SDL2_BUILD" "$SDL2_PREFIX"
  start=$SECONDS
  emcmake cmake -S "$sdl2_dir" -B "$SDL2_BUILD" -DCMAKE_BUILD_TYPE=MinSizeRel \
    -DSDL_SHARED=OFF -DSDL_STATIC=ON -DSDL_TEST=OFF -DSDL_AUDIO=OFF -DSDL_THREADS=OFF \
    -DCMAKE_INSTALL_PREFIX="$SDL2_PREFIX" > "$CACHE/sdl2-configure.log" 2>&1 \
    || { tail -n 30 "$CACHE/sdl2-configure.log"; die "SDL2 configure failed (log: $CACHE/sdl2-configure.log)"; }
  cmake --build "$SDL2_BUILD" -j "$(nproc)" > "$CACHE/sdl2-build.log" 2>&1 \
    || { tail -n 30 "$CACHE/sdl2-build.log"; die "SDL2 build failed (log: $CACHE/sdl2-build.log)"; }
  cmake --install "$SDL2_BUILD" > "$CACHE/sdl2-install.log" 2>&1 \
    || { tail -n 30 "$CACHE/sdl2-install.log"; die "SDL2 install failed (log: $CACHE/sdl2-install.log)"; }
  [[ -f $SDL2_PREFIX/lib/cmake/SDL2/SDL2Config.cmake || -f $SDL2_PREFIX/lib/cmake/SDL2/sdl2-config.cmake ]] \
    || die "SDL2 installed no CMake package config under $SDL2_PREFIX/lib/cmake/SDL2"
  basename "$sdl2_dir" > "$stamp"
  rm -rf "$SDL2_BUILD"
  log "SDL2 for wasm: built in $((SECONDS - start)) s"
fi

# ---------------------------------------------------------------- 5. npm (browser tests)
BROWSER_DIR=$ROOT/tests/browser
if [[ -f $BROWSER_DIR/package.json ]]; then
  want=$(node -p "require('$BROWSER_DIR/package.json').dependencies['playwright-core']")
  have=$(node -p "try { require('$BROWSER_DIR/node_modules/playwright-core/package.json').version } catch (e) { '' }")
  # scorm-again and fflate joined later: an older install lacks them.
  if [[ -n $have && $have == "$want" && -d $BROWSER_DIR/node_modules/scorm-again && -d $BROWSER_DIR/node_modules/fflate ]]; then
    log "npm: playwright-core $have installed in tests/browser"
  else
    log "npm install in tests/browser (playwright-core $want)"
    export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
    if [[ -f $BROWSER_DIR/package-lock.json ]]; then
      (cd "$BROWSER_DIR" && npm ci --no-audit --no-fund --loglevel=error)
    else
      (cd "$BROWSER_DIR" && npm install --no-audit --no-fund --loglevel=error)
    fi
  fi
fi

# ---------------------------------------------------------------- 5b. npm (course builder)
# fflate (zips SCORM packages in the course builder page): installed in
# web/node_modules (ignored by git) and copied into dist/ by the build.
WEB_DIR=$ROOT/web
have=$(node -p "try { require('$WEB_DIR/node_modules/fflate/package.json').version } catch (e) { '' }")
want=$(node -p "require('$WEB_DIR/package.json').dependencies.fflate")
if [[ -n $have && $have == "$want" ]]; then
  log "npm: fflate $have installed in web"
else
  log "npm ci in web (fflate $want)"
  (cd "$WEB_DIR" && npm ci --no-audit --no-fund --loglevel=error)
fi

# ---------------------------------------------------------------- 6. env file
cat > "$ENV_FILE.tmp" <<EOF
# Written by web/setup.sh: paths for the tcplab web build. sh syntax.
export TCPLAB_CACHE='$CACHE'
export TCPLAB_IMGUI_DIR='$IMGUI_LINK'
export TCPLAB_SDL2_PREFIX='$SDL2_PREFIX'
export TCPLAB_HOST_HEADERS='$CACHE/include'
export TCPLAB_EMSCRIPTEN_TOOLCHAIN='$EM_TOOLCHAIN'
export NODE_PATH='/usr/share/nodejs'
EOF
mv "$ENV_FILE.tmp" "$ENV_FILE"
print_env
