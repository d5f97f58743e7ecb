#!/usr/bin/env bash
# Regenerates include/iree/generated/api.h from the Rust sources (cbindgen,
# through the same library call the freshness test makes).
set -euo pipefail
cd "$(dirname "$0")/.."
UPDATE_HEADERS=1 cargo test --quiet --test headers_fresh >/dev/null
echo "wrote include/iree/generated/api.h"
