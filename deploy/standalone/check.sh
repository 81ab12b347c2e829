#!/usr/bin/env bash
# The cluster jar on a real Spark standalone cluster (a master and a worker in their own JVMs), on
# this machine: proves `spark-submit --class io.qualitylake.batch.BatchCli <cluster jar>` runs the
# batch jobs unchanged, with executors in the worker's JVMs. No Spark download is needed: the
# "distribution" is Spark's own jars from the local Maven repository (the engines the build
# already resolved), without Delta or any QualityLake library, so the cluster jar must bring them.
#
#   deploy/standalone/check.sh LAKE [batch args...]     e.g. deploy/standalone/check.sh demo-lake all --as-of 2026-03-01
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
LAKE="$(cd "${1:?usage: check.sh LAKE [batch args]}" && pwd)"; shift
JOBS=("${@:-all}")
T="$ROOT/batch-jobs/target"
JAR="$T/qlake-batch-jobs-0.1.0-SNAPSHOT-cluster.jar"
[[ -f "$JAR" && -f "$T/classpath.txt" ]] || { echo "build first: mvn -B -DskipTests package" >&2; exit 2; }

SPARK_HOME="$T/spark-home"; export SPARK_HOME
export SPARK_SCALA_VERSION=2.12   # a release layout names it; ours is built from Maven jars
rm -rf "$SPARK_HOME"; mkdir -p "$SPARK_HOME/jars" "$SPARK_HOME/work"
echo "Spark 3.5 jars from the local Maven repository (QualityLake standalone check)" > "$SPARK_HOME/RELEASE" # the launcher uses jars/ only in a release layout
cat "$T/classpath.txt" <(echo) "$T/classpath-runtime.txt" | tr ':' '\n' | sort -u | grep -v '^$' | grep -vE '/io/delta/|/io/qualitylake/|/qlake-[a-z-]+-[0-9][^/]*\.jar$|/info/picocli/|/com/amazon/deequ/|/org/knowm/|/de/erichseifert/|/de/rototor/|/org/apache/pdfbox/|/com/madgag/|/com/networknt/|/me/tongfei/|/org/apache/kafka/' \
  | while read -r j; do ln -s "$j" "$SPARK_HOME/jars/"; done
OPENS="-XX:+IgnoreUnrecognizedVMOptions -Duser.timezone=UTC"
for p in java.lang java.lang.invoke java.lang.reflect java.io java.net java.nio java.util java.util.concurrent \
         java.util.concurrent.atomic jdk.internal.ref sun.nio.ch sun.nio.cs sun.security.action sun.util.calendar; do
  OPENS="$OPENS --add-opens=java.base/$p=ALL-UNNAMED"
done
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
CP="$SPARK_HOME/jars/*"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

java $OPENS -cp "$CP" org.apache.spark.deploy.master.Master --host 127.0.0.1 --port "$PORT" --webui-port 0 \
  > "$SPARK_HOME/master.log" 2>&1 & pids+=($!)
for _ in $(seq 60); do grep -q "I have been elected leader" "$SPARK_HOME/master.log" && break; sleep 1; done
java $OPENS -cp "$CP" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --cores 2 --memory 6g --webui-port 0 \
  --work-dir "$SPARK_HOME/work" "spark://127.0.0.1:$PORT" > "$SPARK_HOME/worker.log" 2>&1 & pids+=($!)
for _ in $(seq 60); do grep -q "Successfully registered with master" "$SPARK_HOME/worker.log" && break; sleep 1; done
grep -q "Successfully registered with master" "$SPARK_HOME/worker.log" || { echo "worker did not register" >&2; exit 1; }
echo "standalone cluster: master spark://127.0.0.1:$PORT, 1 worker (2 cores); spark home $SPARK_HOME"

t0=$(date +%s)
java $OPENS -cp "$CP" org.apache.spark.deploy.SparkSubmit --master "spark://127.0.0.1:$PORT" --deploy-mode client \
  --class io.qualitylake.batch.BatchCli --driver-java-options "$OPENS" \
  --conf "spark.executor.extraJavaOptions=$OPENS" --conf spark.executor.memory=4g \
  "$JAR" batch "${JOBS[@]}" --lake "$LAKE"
echo "spark-submit: done in $(( $(date +%s) - t0 )) s"
apps=$(ls "$SPARK_HOME/work" | wc -l)
execs=$(ls -d "$SPARK_HOME"/work/*/* 2>/dev/null | wc -l)
echo "worker ran $apps application(s) with $execs executor(s) (logs in $SPARK_HOME/work)"
