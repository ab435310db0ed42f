#!/usr/bin/env bash
# CI: what a user installs works. Builds the wheel from the checkout's files, installs it into a fresh
# virtual environment outside the checkout, and from an empty folder elsewhere builds the seeds, validates
# the graph, exports it with the ontology, queries it and runs a tiny benchmark (which reads the packaged
# seeds). Every test of the suite runs on an editable install, which cannot see a file the wheel lacks.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
python="${PYTHON:-python3}"
work="$(mktemp -d "${TMPDIR:-/tmp}/kg-wheel.XXXXXX")"
trap 'rm -rf "$work"' EXIT
passed=0
check() {  # check NAME COMMAND...: run it, count it, stop the script at the first failure
  local name="$1"; shift
  if "$@" >"$work/last.log" 2>&1; then
    passed=$((passed + 1)); echo "ci-wheel: ok  $name"
  else
    echo "ci-wheel: FAILED  $name"; tail -n 40 "$work/last.log"; echo "wheel: $passed passed, 1 failed"; exit 1
  fi
}

# the checkout's tracked and new files, without .venv, build/ or outputs (a stale build/ could leak into the wheel)
mkdir "$work/src"
(cd "$root" && git ls-files -z --cached --others --exclude-standard \
  | tar --null -T - --ignore-failed-read -cf - 2>/dev/null) | tar -x -C "$work/src"
check "wheel builds" "$python" -m pip wheel --quiet --no-deps --wheel-dir "$work/dist" "$work/src"
check "fresh venv" "$python" -m venv "$work/venv"
check "wheel installs with its dependencies" "$work/venv/bin/pip" install --quiet "$work"/dist/*.whl
kg="$work/venv/bin/kg"
mkdir "$work/elsewhere" && cd "$work/elsewhere"
check "kg is the installed package, not the checkout" \
  "$work/venv/bin/python" -c "import kg, sys; sys.exit(not kg.__file__.startswith('$work/venv/'))"
check "kg build seeds" "$kg" build "$root/seeds" --out out -q
check "kg validate" "$kg" validate out/graph.ttl
check "kg export --with-ontology (N-Triples)" sh -c "'$kg' export out/graph.ttl --format nt --out with-ontology.nt --with-ontology \
  && grep -q '^<https://w3id.org/cn-union-kg/ontology> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/2002/07/owl#Ontology> \.' with-ontology.nt"
check "kg export N-Quads carries the ontology graph" sh -c "'$kg' export out/graph.ttl --format nq --out graph.nq \
  && grep -q ' <https://w3id.org/cn-union-kg/ontology> \.\$' graph.nq"
check "kg query (saved query)" sh -c "'$kg' query out/graph.ttl honours | grep -q ."
check "kg bench (packaged seeds)" "$kg" bench --size 3000
echo "wheel: $passed passed, 0 failed"
