#!/usr/bin/env bash
# System packages the test suite needs beyond PyPI, installed from Debian's packages when missing
# (needs root and apt; `make test` runs this first):
# - chromium: the browser tests of the HTML graph drive Debian's Chromium with playwright
#   (playwright's own browser download cannot run on these machines);
# - fonts-wqy-microhei: a CJK font, so Chinese labels render in it;
# - default-jre-headless: Java for HermiT (the OWL 2 DL reasoner owlready2 ships) and Jena;
# - libapache-jena-java: Apache Jena (riot, arq, shacl), run through scripts/jena;
# - raptor2-utils: rapper, a second, independent RDF parser (C).
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
{ command -v fc-list >/dev/null && fc-list :lang=zh | grep -q .; } || need+=(fonts-wqy-microhei)
command -v java >/dev/null || need+=(default-jre-headless)
# scripts/JenaQueries.java and OwlDlProfile.java run as source files, which needs the jdk.compiler
# module: Debian's JRE image carries it; a JRE without it gets the JDK.
if command -v java >/dev/null && ! java --list-modules 2>/dev/null | grep -q '^jdk.compiler@'; then
  need+=(default-jdk-headless)
fi
[ -f /usr/share/java/jena-cmds.jar ] || need+=(libapache-jena-java)
command -v rapper >/dev/null || need+=(raptor2-utils)
if [ ${#need[@]} -gt 0 ]; then
  echo "test-deps: installing ${need[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
fi
exit 0
