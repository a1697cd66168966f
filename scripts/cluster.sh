#!/usr/bin/env bash
# A Spark standalone cluster on loopback for trials and tests: one master and N workers on
# 127.0.0.1, run from the Spark jars Maven resolves for scripts/spark-submit (no Spark download).
#
#   scripts/cluster.sh start    # prints the master URL, e.g. spark://127.0.0.1:41234
#   scripts/cluster.sh status   # exit 0 when the master and every started worker run, 3 otherwise
#   scripts/cluster.sh stop     # workers (and their executors) first, then the master
#
# stop and status act on the daemons start launched (their pid files in CLUSTER_DIR), whatever
# CLUSTER_WORKERS says when they run.
#
#   # a driver on loopback too (run.sh sets SPARK_LOCAL_IP for local masters only)
#   MASTER="$(scripts/cluster.sh start)" SPARK_LOCAL_IP=127.0.0.1 \
#     scripts/run.sh --set train.approach=direct ...
#
# Environment (all optional):
#   CLUSTER_DIR        state: pid files, logs, SPARK_HOME, worker dirs (default target/spark-cluster)
#   CLUSTER_WORKERS    number of workers start launches (default 2)
#   WORKER_CORES       cores each worker offers (default 1)
#   WORKER_MEMORY      memory each worker offers to executors (default 2g)
#   MASTER_PORT        master RPC port (default 0: a free port chosen by the OS)
#   MASTER_WEBUI_PORT  master web UI port (default 0: a free port)
#   DAEMON_MEMORY      heap of the master and worker JVMs (default 512m)
#   START_TIMEOUT      seconds to wait for the master and the workers to come up (default 120)
#
# Everything binds to 127.0.0.1. The worker launches executors as `java -cp SPARK_HOME/jars/*`
# (Spark's WorkerCommandBuilder), so SPARK_HOME here is a directory whose jars/ links every jar of
# target/spark-runtime/classpath.txt, plus SPARK_SCALA_VERSION, which that builder needs when
# SPARK_HOME is not a real distribution.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CLUSTER_DIR="${CLUSTER_DIR:-$ROOT/target/spark-cluster}"
mkdir -p "$CLUSTER_DIR"
CLUSTER_DIR="$(cd "$CLUSTER_DIR" && pwd)"
CLUSTER_WORKERS="${CLUSTER_WORKERS:-2}"
WORKER_CORES="${WORKER_CORES:-1}"
WORKER_MEMORY="${WORKER_MEMORY:-2g}"
MASTER_PORT="${MASTER_PORT:-0}"
MASTER_WEBUI_PORT="${MASTER_WEBUI_PORT:-0}"
DAEMON_MEMORY="${DAEMON_MEMORY:-512m}"
START_TIMEOUT="${START_TIMEOUT:-120}"

CP_FILE="$ROOT/target/spark-runtime/classpath.txt"
HOME_DIR="$CLUSTER_DIR/spark-home"
PID_DIR="$CLUSTER_DIR/pids"
LOG_DIR="$CLUSTER_DIR/logs"
URL_FILE="$CLUSTER_DIR/master-url"
# On every daemon's command line, so stop and status only ever touch processes of this cluster
# (a pid file can outlive its process and the pid be reused).
MARKER="-Decholstm.cluster.dir=$CLUSTER_DIR"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

# What Spark's launcher adds on Java 17 (org.apache.spark.launcher.JavaModuleOptions): the project's
# one list, a JDK argument file that java expands itself; executors get them from the driver's
# SparkContext.
JAVA_MODULE_OPTIONS="@$ROOT/conf/java-module-options"

usage() {
  sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//' >&2
  exit 2
}

die() {
  echo "cluster.sh: $*" >&2
  exit 1
}

# The pid in a pid file if that process is alive and belongs to this cluster.
live_pid() {
  local file="$1" pid
  [[ -s "$file" ]] || return 1
  pid="$(cat "$file")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  ps -ww -o args= -p "$pid" 2>/dev/null | grep -qF -- "$MARKER" || return 1
  echo "$pid"
}

# The workers that were started, by their pid files (in order), then the master: stop and status
# act on these, so a CLUSTER_WORKERS that differs from the start's changes nothing.
started_daemons() {
  local file
  if [[ -d "$PID_DIR" ]]; then
    while IFS= read -r file; do
      echo "${file%.pid}"
    done < <(find "$PID_DIR" -maxdepth 1 -name 'worker-*.pid' -printf '%f\n' | sort -t- -k2,2n)
  fi
  echo master
}

# Waits until a log file has a line matching a pattern, or the process dies, or time runs out.
await_log() {
  local log="$1" pattern="$2" pid="$3" deadline=$((SECONDS + START_TIMEOUT))
  while ((SECONDS < deadline)); do
    if grep -qE -- "$pattern" "$log" 2>/dev/null; then
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.5
  done
  return 1
}

fail_start() {
  local log="$1"
  echo "cluster.sh: $2; last lines of $log:" >&2
  tail -n 30 "$log" >&2 || true
  stop >&2 || true
  exit 1
}

# A SPARK_HOME for the workers: jars/ links the Spark runtime classpath, conf/ holds the logging
# config that master, workers and executors read from their classpath.
build_spark_home() {
  if [[ ! -s "$CP_FILE" || "$ROOT/scripts/spark-runtime/pom.xml" -nt "$CP_FILE" || "$ROOT/pom.xml" -nt "$CP_FILE" ]]; then
    # scripts/spark-submit resolves (and caches) the classpath before it launches anything.
    "$ROOT/scripts/spark-submit" --version >/dev/null 2>&1 || true
    [[ -s "$CP_FILE" ]] || die "could not resolve the Spark runtime classpath ($CP_FILE)"
  fi
  rm -rf "$HOME_DIR"
  mkdir -p "$HOME_DIR/jars" "$HOME_DIR/conf"
  local entry
  while IFS= read -r entry; do
    [[ -n "$entry" ]] || continue
    [[ -f "$entry" ]] || die "classpath entry missing: $entry (delete $CP_FILE to resolve again)"
    # No -f: two jars with one file name would be a conflict to see, not to hide.
    ln -s "$entry" "$HOME_DIR/jars/$(basename "$entry")"
  done < <(tr ':' '\n' <"$CP_FILE")
  cat >"$HOME_DIR/conf/log4j2.properties" <<'EOF'
# Cluster daemons and executors: INFO to stderr, which cluster.sh (daemons) and the worker
# (executors: work/APP/EXECUTOR/stderr) write to files.
rootLogger.level = info
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss.SSS} %-5p %c{1}: %m%n%ex
logger.jetty.name = org.sparkproject.jetty
logger.jetty.level = warn
logger.hadoopnative.name = org.apache.hadoop.util.NativeCodeLoader
logger.hadoopnative.level = error
EOF
}

# Starts one daemon JVM in the background, detached from this shell's stdio.
launch() {
  local name="$1"
  shift
  (
    cd "$CLUSTER_DIR"
    export SPARK_HOME="$HOME_DIR" SPARK_SCALA_VERSION=2.12 SPARK_LOCAL_IP=127.0.0.1
    unset SPARK_CONF_DIR SPARK_MASTER_HOST SPARK_PUBLIC_DNS
    nohup "$JAVA" "-Xmx$DAEMON_MEMORY" "$JAVA_MODULE_OPTIONS" "$MARKER" \
      "-Dlog4j2.configurationFile=$HOME_DIR/conf/log4j2.properties" \
      -cp "$HOME_DIR/conf:$HOME_DIR/jars/*" "$@" \
      >"$LOG_DIR/$name.log" 2>&1 </dev/null &
    echo $! >"$PID_DIR/$name.pid"
  )
  cat "$PID_DIR/$name.pid"
}

start() {
  local name pid
  for name in $(started_daemons); do
    if pid="$(live_pid "$PID_DIR/$name.pid")"; then
      die "$name already runs (pid $pid); run 'scripts/cluster.sh stop' first"
    fi
  done
  build_spark_home
  rm -rf "$PID_DIR" "$LOG_DIR" "$URL_FILE"
  mkdir -p "$PID_DIR" "$LOG_DIR"

  pid="$(launch master org.apache.spark.deploy.master.Master \
    --host 127.0.0.1 --port "$MASTER_PORT" --webui-port "$MASTER_WEBUI_PORT")"
  await_log "$LOG_DIR/master.log" 'Starting Spark master at spark://' "$pid" ||
    fail_start "$LOG_DIR/master.log" "the master did not start"
  local url
  url="$(grep -oE 'Starting Spark master at spark://[0-9.]+:[0-9]+' "$LOG_DIR/master.log" |
    head -n 1 | sed 's/.* at //')"
  # Workers register only once the master has elected itself leader.
  await_log "$LOG_DIR/master.log" 'I have been elected leader' "$pid" ||
    fail_start "$LOG_DIR/master.log" "the master did not become leader"

  local i pids=()
  for ((i = 1; i <= CLUSTER_WORKERS; i++)); do
    name="worker-$i"
    # A fresh start: the previous cluster's executor dirs hold a copy of every submitted jar.
    rm -rf "${CLUSTER_DIR:?}/$name"
    mkdir -p "$CLUSTER_DIR/$name/work" "$CLUSTER_DIR/$name/local"
    pids+=("$(SPARK_LOCAL_DIRS="$CLUSTER_DIR/$name/local" launch "$name" \
      org.apache.spark.deploy.worker.Worker \
      --host 127.0.0.1 --port 0 --webui-port 0 \
      --cores "$WORKER_CORES" --memory "$WORKER_MEMORY" \
      --work-dir "$CLUSTER_DIR/$name/work" "$url")")
  done
  for ((i = 1; i <= CLUSTER_WORKERS; i++)); do
    await_log "$LOG_DIR/worker-$i.log" 'Successfully registered with master' "${pids[i - 1]}" ||
      fail_start "$LOG_DIR/worker-$i.log" "worker-$i did not register with $url"
  done
  echo "$url" >"$URL_FILE"
  echo "cluster.sh: master $url, $CLUSTER_WORKERS workers x $WORKER_CORES cores, logs in $LOG_DIR" >&2
  echo "$url"
}

# Sends a signal to a pid and waits (bounded) for it to exit. Returns 1 if it still runs.
signal_and_wait() {
  local pid="$1" sig="$2" wait_s="$3" deadline
  kill "-$sig" "$pid" 2>/dev/null || return 0
  deadline=$((SECONDS + wait_s))
  while kill -0 "$pid" 2>/dev/null; do
    ((SECONDS < deadline)) || return 1
    sleep 0.2
  done
}

stop() {
  local name pid child children=() stopped=0
  [[ -d "$PID_DIR" ]] || {
    echo "cluster.sh: not running ($CLUSTER_DIR)" >&2
    return 0
  }
  for name in $(started_daemons); do
    pid="$(live_pid "$PID_DIR/$name.pid")" || {
      rm -f "$PID_DIR/$name.pid"
      continue
    }
    # A worker kills its executors when it stops; remember them in case it cannot.
    if [[ "$name" == worker-* ]]; then
      while IFS= read -r child; do
        [[ -n "$child" ]] && children+=("$child")
      done < <(pgrep -P "$pid" || true)
    fi
    if ! signal_and_wait "$pid" TERM 30; then
      echo "cluster.sh: $name (pid $pid) ignored SIGTERM, killing it" >&2
      signal_and_wait "$pid" KILL 10 || echo "cluster.sh: $name (pid $pid) survived SIGKILL" >&2
    fi
    rm -f "$PID_DIR/$name.pid"
    stopped=$((stopped + 1))
  done
  for child in "${children[@]}"; do
    if ps -ww -o args= -p "$child" 2>/dev/null | grep -q CoarseGrainedExecutorBackend; then
      echo "cluster.sh: executor $child outlived its worker, killing it" >&2
      signal_and_wait "$child" KILL 10 || true
    fi
  done
  rm -f "$URL_FILE"
  echo "cluster.sh: stopped $stopped daemons ($CLUSTER_DIR)" >&2
}

status() {
  local name pid code=0
  for name in $(started_daemons); do
    if pid="$(live_pid "$PID_DIR/$name.pid")"; then
      echo "$name: running, pid $pid, log $LOG_DIR/$name.log"
    else
      echo "$name: not running"
      code=3
    fi
  done
  if [[ $code -eq 0 && -s "$URL_FILE" ]]; then
    echo "master url: $(cat "$URL_FILE")"
  fi
  return $code
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) usage ;;
esac
