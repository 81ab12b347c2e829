#!/usr/bin/env bash
# Installs the "QualityLake (Java)" Jupyter kernel: the rapaio Java kernel (from Maven Central,
# copied to batch-jobs/target/notebook-kernel by the build) with the batch-jobs classes and their
# dependencies on its classpath and the JVM flags Spark needs on Java 17.
#
#   notebooks/install-kernel.sh [JUPYTER_DIR]      (default: notebooks/.jupyter)
#   JUPYTER_PATH=notebooks/.jupyter jupyter notebook notebooks/
#
# Needs: a build (mvn -B -DskipTests package) and Debian's Jupyter:
#   apt-get install jupyter-notebook jupyter-nbconvert python3-nbconvert python3-ipykernel jupyter-client
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEST="${1:-$ROOT/notebooks/.jupyter}"
MOD="$ROOT/batch-jobs/target"
JAR="$(ls "$MOD"/notebook-kernel/rapaio-jupyter-kernel-*.jar 2>/dev/null | head -n 1 || true)"
[[ -n "$JAR" && -f "$MOD/classpath.txt" && -d "$MOD/classes" ]] \
  || { echo "install-kernel: build first (mvn -B -DskipTests package)" >&2; exit 2; }
command -v jupyter >/dev/null 2>&1 \
  || { echo "install-kernel: Jupyter is missing (apt-get install jupyter-notebook jupyter-nbconvert python3-ipykernel jupyter-client)" >&2; exit 2; }

# rapaio's RJK_CLASSPATH separates entries with ';'
CP="$MOD/classes;$(tr ':' ';' < "$MOD/classpath-runtime.txt");$(tr ':' ';' < "$MOD/classpath.txt")"
KDIR="$DEST/kernels/qualitylake-java"
mkdir -p "$KDIR"
python3 - "$KDIR/kernel.json" "$JAR" "$CP" <<'PY'
import json, sys
path, jar, cp = sys.argv[1:4]
opens = ["java.lang", "java.lang.invoke", "java.lang.reflect", "java.io", "java.net", "java.nio", "java.util",
         "java.util.concurrent", "java.util.concurrent.atomic", "jdk.internal.ref", "sun.nio.ch", "sun.nio.cs",
         "sun.security.action", "sun.util.calendar"]
argv = ["java", "-Xmx4g", "-Duser.timezone=UTC", "-XX:+IgnoreUnrecognizedVMOptions", "-Djdk.reflect.useDirectMethodHandle=false"]
argv += ["--add-opens=java.base/%s=ALL-UNNAMED" % p for p in opens]
argv += ["-jar", jar, "{connection_file}"]
json.dump({"argv": argv, "display_name": "QualityLake (Java)", "language": "java", "interrupt_mode": "message",
           "env": {"RJK_CLASSPATH": cp, "RJK_COMPILER_OPTIONS": "", "RJK_INIT_SCRIPT": "", "RJK_TIMEOUT_MILLIS": "-1"}},
          open(path, "w"), indent=1)
PY
echo "kernel 'qualitylake-java' installed in $KDIR; start with: JUPYTER_PATH=$DEST jupyter notebook $ROOT/notebooks"
