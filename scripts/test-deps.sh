#!/usr/bin/env bash
# System packages the test suite needs beyond PyPI, installed from Debian's packages when missing.
# - chromium: the browser tests of the HTML graph drive Debian's Chromium with playwright
#   (playwright's own browser download cannot run on these machines);
# - fonts-wqy-microhei: a CJK font, so Chinese labels render in it.
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
{ command -v fc-list >/dev/null && fc-list :lang=zh | grep -q .; } || need+=(fonts-wqy-microhei)
if [ ${#need[@]} -gt 0 ]; then
  echo "test-deps: installing ${need[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
fi
exit 0
