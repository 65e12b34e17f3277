#!/usr/bin/env bash
# softmax-repro: reproduce arXiv 2603.06248 with one command.
#
#   ./paper-repro.sh          install what is missing, build, run every experiment (default scale),
#                             check the golden values, verify determinism, summarize
#   ./paper-repro.sh test     install what is missing, build and run the test suite, then the
#                             default-scale golden check and determinism check
#
# Environment: JOBS (parallel experiments, default: all cores), OUTPUT (results, default figures/data),
# FIGURES (rendered PDF/PNG, default figures).
set -euo pipefail
cd "$(dirname "$0")"

APT_PACKAGES=(pkg-config libcairo2-dev libpango1.0-dev fonts-texgyre fonts-dejavu-core)
JOBS="${JOBS:-$(nproc)}"
OUTPUT="${OUTPUT:-figures/data}"

usage() { sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; }
say() { printf '\n== %s\n' "$*"; }

install_missing() {
    local missing=()
    for p in "${APT_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    if ((${#missing[@]})); then
        say "installing ${missing[*]}"
        local sudo=()
        if [ "$(id -u)" != 0 ]; then
            command -v sudo >/dev/null || { echo "paper-repro.sh: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
            sudo=(sudo)
        fi
        "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
        "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    fi
    if ! command -v swift >/dev/null; then
        echo "paper-repro.sh: no Swift toolchain on PATH. Install Swift 6.0 or newer (swift.org/install) and rerun." >&2
        exit 1
    fi
}

build_release() {
    say "building (release)"
    swift build -c release --product paper-repro 2>&1 | grep -vE 'warning: .*-pthread|^\[' || true
    test -x .build/release/paper-repro || { echo "paper-repro.sh: release build failed" >&2; exit 1; }
}

# Runs, checks and verifies at the default scale into $1, renders the figures into $2;
# prints a summary; returns non-zero on failure.
reproduce() {
    local out="$1" figures="$2" bin=.build/release/paper-repro status=0 start=$SECONDS
    say "running every experiment (default scale, $JOBS jobs) -> $out"
    "$bin" run --scale default --output "$out" --jobs "$JOBS" || status=1
    say "golden check"
    "$bin" check --output "$out" > "$out/check.txt" || status=1
    grep -E '^FAIL' "$out/check.txt" || true
    tail -n 2 "$out/check.txt"
    say "determinism check (rerun, compare content hashes)"
    "$bin" verify --output "$out" --jobs "$JOBS" || status=1
    say "figures (PDF + PNG) -> $figures"
    "$bin" figures --output "$out" --figures "$figures" || status=1
    say "summary"
    echo "experiments: $("$bin" list | grep -c '^    ') run, results in $out/, per-quantity check in $out/check.txt"
    echo "golden check: $(tail -n 1 "$out/check.txt")"
    echo "figures: $(ls "$figures"/*.pdf 2>/dev/null | wc -l) PDF + $(ls "$figures"/*.png 2>/dev/null | wc -l) PNG in $figures/"
    echo "wall time: $((SECONDS - start)) s"
    return $status
}

case "${1:-}" in
    -h|--help|help) usage ;;
    "")
        install_missing
        build_release
        mkdir -p "$OUTPUT"
        reproduce "$OUTPUT" "${FIGURES:-figures}" && say "PASS" || { say "FAIL (see above)"; exit 1; }
        ;;
    test)
        install_missing
        say "unit and end-to-end tests (swift test)"
        # Per-test progress lines are dropped; failures and the closing summary line are kept.
        set +e
        swift test --disable-xctest 2>&1 | grep -vE 'warning: .*-pthread|^\[[0-9]+/[0-9]+\]|^◇ |^✔ Suite |^✔ Test .*\) passed after'
        status=${PIPESTATUS[0]}
        set -e
        [ "$status" = 0 ] || { echo "paper-repro.sh: swift test failed" >&2; exit 1; }
        build_release
        out=.build/ci-results
        rm -rf "$out"; mkdir -p "$out"
        reproduce "$out" "$out/figures"
        ;;
    *)
        echo "paper-repro.sh: unknown argument '$1' (valid: test, --help)" >&2
        exit 2
        ;;
esac
