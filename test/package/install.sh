#!/usr/bin/env bash
# The acceptance test of the package (`npm run test:package`, run by .ci/run): installs stepwise-cdk
# the three ordinary ways — the tarball `npm pack` makes from a fresh clone, `npm install git+file://`
# of that clone, and `npm install <path>` of this checkout — into a scratch CDK app on another
# aws-cdk-lib (2.200.0 unless STEPWISE_TEST_CDK_VERSION says otherwise). For each it type-checks the
# app, synthesizes OrderWorkflow and a state machine of the app's own, runs both through the public
# API and the CLI, and runs the app's Jest file with coverage (its handler must run from source).
# The type-check and the plain-node run, which do not depend on how the package was installed, run
# for the tarball only.
# Needs the npm registry (or a warm npm cache). Prints its duration.
set -euo pipefail
started=$(date +%s)
repo="$(cd "$(dirname "$0")/../.." && pwd)"
cdk_version="${STEPWISE_TEST_CDK_VERSION:-2.200.0}"
# STEPWISE_PACKAGE_WORK keeps the scratch folder (and reuses its base app) between runs, for debugging.
if [ -n "${STEPWISE_PACKAGE_WORK:-}" ]; then
  work="$STEPWISE_PACKAGE_WORK"
  mkdir -p "$work" && rm -rf "$work"/clone "$work"/app-tarball "$work"/app-git "$work"/app-path "$work"/*.tgz
else
  work="$(mktemp -d "${TMPDIR:-/tmp}/stepwise-package-XXXXXX")"
  trap 'rm -rf "$work"' EXIT
fi
npm_q() { npm --no-audit --no-fund --loglevel=error "$@"; }
step() { printf '\n== %s (%ss)\n' "$*" "$(( $(date +%s) - started ))"; }
fail() { echo "FAIL: $*" >&2; exit 1; }

step "fresh clone of HEAD"
git clone --quiet "$repo" "$work/clone"
[ ! -e "$work/clone/dist" ] || fail "a fresh clone already has dist/"
# The clone builds with this checkout's tools (npm pack runs `prepare`, which needs the dev dependencies).
ln -s "$repo/node_modules" "$work/clone/node_modules"

step "npm pack of the fresh clone"
(cd "$work/clone" && npm_q pack --pack-destination "$work" >/dev/null)
tarball="$(ls "$work"/stepwise-cdk-*.tgz)"
listing="$(tar -tzf "$tarball")"
for f in package/dist/lib/index.js package/dist/lib/asl/index.js package/dist/lib/constructs/index.js package/dist/lib/testing/index.js package/dist/bin/stepwise.js package/dist/lambda/process-payment.js; do
  grep -qx "$f" <<<"$listing" || fail "the tarball lacks $f"
done
if grep -E '^package/(test|bench|\.ci|examples|lib|bin|lambda)/|\.test\.|\.ts$' <<<"$listing" | grep -v '\.d\.ts$'; then fail "the tarball holds files it should not (above)"; fi
echo "tarball: $(wc -l <<<"$listing") files, $(du -k "$tarball" | cut -f1) KiB"
rm "$work/clone/node_modules"

make_app() { # $1: app folder, $2: what to install as stepwise-cdk
  if [ ! -d "$work/app-base/node_modules" ]; then
    rm -rf "$work/app-base" && mkdir -p "$work/app-base"
    cp "$repo/test/package/app/package.json" "$work/app-base/"
    (cd "$work/app-base" && npm_q install "aws-cdk-lib@$cdk_version" constructs@^10 >/dev/null \
      && npm_q install --save-dev typescript@5.9.3 jest@30.5.2 ts-jest@29.4.15 @types/jest@30.0.0 @types/node@^20.19.0 esbuild@0.28.2 >/dev/null)
    # esbuild: an app with NodejsFunctions of its own installs it (else aws-cdk-lib bundles in Docker).
    # A tarball install would hoist Stepwise's copy; a linked one (`npm install <path>`) does not.
  fi
  cp -r "$work/app-base" "$1"
  cp -r "$repo/test/package/app/." "$1/"
  cp "$work/app-base/package.json" "$1/package.json"
  cp "$repo/examples/orders/sample-order.json" "$1/order.json"
  cp "$repo/examples/orders/seed.json" "$1/seed.json"
  (cd "$1" && npm_q install "$2" >/dev/null)
}
check_app() { # $1: app folder, $2: how it was installed, $3: "full" for the checks that do not depend on how
  local app="$1" how="$2" full="${3:-}"
  cd "$app"
  step "[$how] the bin and the entry points"
  [ -x node_modules/.bin/stepwise ] || fail "[$how] no stepwise bin"
  npx stepwise --version | grep -qx "$(node -p "require('$repo/package.json').version")" || fail "[$how] stepwise --version"
  node -e "
    require('stepwise-cdk');
    const heavy = Object.keys(require.cache).filter((k) => /node_modules\/(aws-cdk-lib|@aws-sdk)\//.test(k));
    if (heavy.length) { console.error('the root entry loaded', heavy.slice(0, 3)); process.exit(1); }
    if (typeof require('stepwise-cdk').OrderWorkflow !== 'function') process.exit(1);
  " || fail "[$how] root entry point"
  if [ "$full" = full ]; then
    step "[$how] type-check the app (aws-cdk-lib $cdk_version)"
    npx tsc --noEmit || fail "[$how] the app does not type-check"
  fi
  step "[$how] cdk synth"
  # The CDK CLI reads any older cloud assembly, and tsx runs the app's TypeScript as ts-node would:
  # this checkout's serve every aws-cdk-lib version.
  "$repo/node_modules/.bin/cdk" synth --app "$repo/node_modules/.bin/tsx bin/app.ts" --output cdk.out --quiet >/dev/null 2>"$work/synth-$how.log" || { cat "$work/synth-$how.log"; fail "[$how] cdk synth failed"; }
  [ -f cdk.out/Shop.template.json ] && [ -f cdk.out/Greeter.template.json ] || fail "[$how] no templates in cdk.out"
  if [ "$full" = full ]; then
    step "[$how] the public API (node, bundles)"
    npx tsc --outDir build >/dev/null
    out="$(node build/run.js)" || fail "[$how] run.js: $out"
    echo "$out"
    grep -q '"greeting":"SUCCEEDED","message":"hello, Grace Hopper","order":"SUCCEEDED"' <<<"$out" || fail "[$how] public API results"
  fi
  step "[$how] the CLI"
  out="$(npx stepwise run --state-machine Greeting --input <(echo '{"name":"Ada"}') --json)" || fail "[$how] stepwise run Greeting: $out"
  grep -q '"status":"SUCCEEDED","output":{"message":"hello, Ada","kind":"short"}' <<<"$out" || fail "[$how] CLI output: $out"
  out="$(npx stepwise run --state-machine Shop --input order.json --local-dynamodb --seed seed.json --json)" || fail "[$how] stepwise run Shop: $out"
  grep -q '"status":"SUCCEEDED"' <<<"$out" || fail "[$how] CLI order output: $out"
  npx stepwise validate --app cdk.out --state-machine Greeting >/dev/null || fail "[$how] stepwise validate from the assembly"
  step "[$how] the app's Jest file, with coverage"
  npx jest --coverage --silent || fail "[$how] jest"
  node -e "
    const s = require('./coverage/coverage-summary.json');
    const f = Object.keys(s).find((k) => k.endsWith('handlers/greet.ts'));
    if (!f || s[f].lines.pct === 0) { console.error('the handler did not run from source:', JSON.stringify(f && s[f].lines)); process.exit(1); }
  " || fail "[$how] coverage of the app's handler"
  cd - >/dev/null
}

step "tarball install into a scratch app on aws-cdk-lib $cdk_version"
make_app "$work/app-tarball" "$tarball"
check_app "$work/app-tarball" tarball full

step "git install"
make_app "$work/app-git" "git+file://$work/clone"
check_app "$work/app-git" git

step "local path install"
[ -f "$repo/dist/lib/index.js" ] || (cd "$repo" && npm run build >/dev/null)
make_app "$work/app-path" "$repo"
[ -L "$work/app-path/node_modules/stepwise-cdk" ] || fail "npm install <path> did not link"
check_app "$work/app-path" path

step "package test passed in $(( $(date +%s) - started )) s"
