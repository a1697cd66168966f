#!/usr/bin/env bash
# Runs the echo-lstm sweep: builds the shaded jar when it is missing or older than the sources,
# then submits it with scripts/spark-submit to ${MASTER:-local[*]}. With no arguments it runs the
# tutorial sweep, then writes that run's report (reports/RUN_ID/index.html) and prints its path.
# The default config is this project's conf/tutorial.properties wherever it is run from;
# --conf and --results paths are relative to the current directory.
#
#   scripts/run.sh                       # every experiment of conf/tutorial.properties -> results/,
#                                        # then its report -> reports/RUN_ID/
#   scripts/run.sh report --run-id ID    # the report of a run of results/ (default: the latest)
#   scripts/run.sh sweep --experiment echo-lag --set sweep.lags=0-5 --results demo-results
#   scripts/run.sh plan --conf conf/extensions.properties   # the points, without training
#   scripts/run.sh --help                                    # commands; COMMAND --help for one
#
# Environment: MASTER (Spark master URL), DRIVER_MEMORY (default 4g), SPARK_SUBMIT_ARGS (extra
# spark-submit flags, e.g. "--total-executor-cores 4"), SPARK_HOME (use an installed Spark),
# SPARK_PROPERTIES_FILE (the --properties-file for a non-local MASTER; default
# conf/spark-cluster.conf, empty for none), MAX_PHYSICAL_MEMORY (local masters: the resident memory
# at which native arrays are reclaimed; default 2500m, 0 for no ceiling).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# The jar `mvn package` builds: target/ARTIFACTID-VERSION.jar, named from the pom.
artifact_id="$("$ROOT/scripts/pom-value" artifactId)"
version="$("$ROOT/scripts/pom-value" version)"
JAR="$ROOT/target/$artifact_id-$version.jar"

if [[ ! -f "$JAR" ]] || [[ -n "$(find "$ROOT/src/main" "$ROOT/pom.xml" -newer "$JAR" -print -quit)" ]]; then
  echo "run.sh: building $JAR" >&2
  (cd "$ROOT" && mvn -B -q -ntp -DskipTests package >&2)
fi

# No arguments: the tutorial sweep and then its report, one run id for both, in the format the job
# chooses itself: the UTC start time to the millisecond (where date has %N) and 32 random bits, so
# two launches in the same millisecond do not share a run.
sweep_then_report=false
if [[ $# -eq 0 ]]; then
  sweep_then_report=true
  started="$(date -u +%Y%m%dT%H%M%S.%3NZ)"
  [[ "$started" =~ ^[0-9]{8}T[0-9]{6}\.[0-9]{3}Z$ ]] || started="$(date -u +%Y%m%dT%H%M%S).000Z"
  run_id="$started-$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')"
fi

# The command defaults to "sweep", so "run.sh --conf FILE" works too ("--help" and "--version"
# go to the top command).
if [[ $# -gt 0 && "$1" == --* && "$1" != --help && "$1" != --version ]]; then
  set -- sweep "$@"
fi

# A local master (or a cluster on loopback) needs no network: keep the driver on loopback.
if [[ "${MASTER:-local[*]}" == local* || "${MASTER:-}" == spark://127.0.0.1:* ]]; then
  export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
fi

# ND4J's OpenMP threads fight Spark's task threads: one each (driver here, executors below).
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"

# A cluster master gets the cluster profile (event log, task retries; see its header). Spark does
# not create the event-log directory: a local one named in the file is created here.
props=()
if [[ "${MASTER:-local[*]}" != local* ]]; then
  props_file="${SPARK_PROPERTIES_FILE-$ROOT/conf/spark-cluster.conf}"
  if [[ -n "$props_file" ]]; then
    if [[ ! -f "$props_file" ]]; then
      echo "run.sh: properties file not found: $props_file" >&2
      exit 2
    fi
    props=(--properties-file "$props_file")
    # The last "KEY VALUE" (or KEY=VALUE, KEY: VALUE) line of a key, trailing blanks trimmed.
    prop() {
      sed -n "s/^[[:space:]]*$1[[:space:]=:][[:space:]=:]*//p" "$props_file" | tail -n 1 |
        sed 's/[[:space:]]*$//'
    }
    if [[ "$(prop 'spark\.eventLog\.enabled')" == true ]]; then
      event_dir="$(prop 'spark\.eventLog\.dir')"
      case "$event_dir" in
        file:/* | /*) mkdir -p "${event_dir#file:}" ;;
      esac
    fi
  fi
fi

# On a local master the driver JVM also trains. ND4J's native arrays are freed only when the Java
# objects that own them are collected, which a large, lightly used heap postpones: resident memory
# then grows with time (8 GB seen in one extensions sweep). JavaCPP's physical-bytes ceiling makes
# the JVM collect whenever the process reaches it (and fail with OutOfMemoryError if collecting
# cannot bring it below, so raise it together with DRIVER_MEMORY for larger sweeps).
driver_opts="-Dlog4j2.configurationFile=$ROOT/conf/log4j2.properties -Decholstm.home=$ROOT"
if [[ "${MASTER:-local[*]}" == local* ]]; then
  driver_opts+=" -Dorg.bytedeco.javacpp.maxPhysicalBytes=${MAX_PHYSICAL_MEMORY:-2500m}"
fi
# dl4j-spark's training stats (train.collect-stats) clock: the system clock, not its default NTP
# queries of 0.pool.ntp.org, which fail without internet access. The driver here; executors of a
# cluster get it from conf/spark-cluster.conf (in local mode they are this JVM).
driver_opts+=" -Dorg.deeplearning4j.spark.time.TimeSource=org.deeplearning4j.spark.time.SystemClockTimeSource"

# shellcheck disable=SC2206 # SPARK_SUBMIT_ARGS is a list of flags on purpose
submit=(
  "$ROOT/scripts/spark-submit"
  --master "${MASTER:-local[*]}"
  --class io.echolstm.app.Main
  --driver-memory "${DRIVER_MEMORY:-4g}"
  --driver-java-options "$driver_opts"
  --conf spark.executorEnv.OMP_NUM_THREADS=1
  --conf spark.ui.showConsoleProgress=false
  ${props[@]+"${props[@]}"}
  ${SPARK_SUBMIT_ARGS:-}
  "$JAR"
)

if [[ "$sweep_then_report" == true ]]; then
  "${submit[@]}" sweep --run-id "$run_id"
  echo
  exec "${submit[@]}" report --run-id "$run_id"
fi
exec "${submit[@]}" "$@"
