#!/usr/bin/env bash
# The node tests, the example runs, the editor browser test and the package checks against
# Node-RED 5 on Node 22: installs node@22 and node-red@5 (npm registry) into the git-ignored
# prefix .ci/nr5/ and runs the compiled tests (dist/, from `npm run build`) with that Node binary
# and NODE_RED_PATH pointing at node-red 5. Prints node:test's summary lines.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PREFIX=$ROOT/.ci/nr5
NR5_RANGE=${NR5_RANGE:-5}
NODE22_RANGE=${NODE22_RANGE:-22}

mkdir -p "$PREFIX"
[ -f "$PREFIX/package.json" ] || echo '{"private":true}' > "$PREFIX/package.json"
if [ ! -x "$PREFIX/node_modules/node/bin/node" ] || [ ! -f "$PREFIX/node_modules/node-red/package.json" ]; then
  npm install --prefix "$PREFIX" --no-audit --no-fund "node@$NODE22_RANGE" "node-red@$NR5_RANGE"
fi
NODE22=$PREFIX/node_modules/node/bin/node
if ! "$NODE22" --version >/dev/null 2>&1; then
  # npm versions that skip install scripts leave the node package without its binary: run its installer
  (cd "$PREFIX/node_modules/node" && node installArchSpecificPackage.js)
fi
NODE_VERSION=$("$NODE22" --version)
NR_VERSION=$("$NODE22" -p "require('$PREFIX/node_modules/node-red/package.json').version")
echo "Node-RED 5 run: node $NODE_VERSION, node-red $NR_VERSION"
case "$NODE_VERSION" in v22.*|v23.*|v24.*|v25.*|v26.*) ;; *) echo "expected Node >= 22, got $NODE_VERSION" >&2; exit 1 ;; esac
case "$NR_VERSION" in 5.*) ;; *) echo "expected node-red 5.x, got $NR_VERSION" >&2; exit 1 ;; esac

DIST=${TEST_DIST:-dist}
[ -d "$DIST/test" ] || { echo "$DIST/test missing: run npm run build first" >&2; exit 1; }
shopt -s nullglob
FILES=()
for f in "$DIST"/test/nodes/*.test.js "$DIST"/test/e2e/*.test.js "$DIST"/test/package/package-rules.test.js "$DIST"/test/editor/*.test.js; do
  # a build leaves the output of a deleted or moved test behind: run only those with a source
  src=${f#"$DIST"/}
  [ -f "${src%.js}.ts" ] && FILES+=("$f")
done
# NODE_RED_PATH: test/helpers/harness.ts and test/helpers/runtime.ts load node-red from there;
# EXPECT_NODE_RED_MAJOR makes the e2e test assert the runtime really is 5.x.
NODE_RED_PATH=$PREFIX/node_modules/node-red EXPECT_NODE_RED_MAJOR=5 \
  PATH="$(dirname "$NODE22"):$PATH" \
  "$NODE22" --test "${FILES[@]}"
