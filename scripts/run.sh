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
# Environment: MASTER (Spark master URL), DRIVER_MEMORY (default 1 GB plus 256 MB per core of a
# local master, or of this machine for other masters, at most 16 counted: 1536m on 2 cores),
# SPARK_SUBMIT_ARGS (extra
# spark-submit flags, split as a shell splits words, quotes grouping, e.g. "--total-executor-cores
# 4"; --driver-java-options there are added to this script's own), SPARK_HOME (use an installed
# Spark), SPARK_PROPERTIES_FILE (the --properties-file for a non-local MASTER; default
# conf/spark-cluster.conf, empty for none), MAX_PHYSICAL_MEMORY (local masters: the resident memory
# at which the JVM collects to reclaim native arrays; default twice the driver heap, 0 for no
# ceiling). Each is checked before
# anything is launched: a bad one ends with exit code 2 and one line naming it.
set -euo pipefail

fail() {
  echo "run.sh: $*" >&2
  exit 2
}

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# The jar `mvn package` builds: target/ARTIFACTID-VERSION.jar, named from the pom.
artifact_id="$("$ROOT/scripts/pom-value" artifactId)"
version="$("$ROOT/scripts/pom-value" version)"
JAR="$ROOT/target/$artifact_id-$version.jar"

# --- The environment, checked before anything is built or launched. ---

# The master: the forms Spark parses. A cluster manager other than Spark's own (YARN, Kubernetes,
# Mesos) needs an installed Spark built with it: the Maven runtime of scripts/spark-submit has none.
master="${MASTER:-local[*]}"
local_re='^local(\[[[:space:]]*([1-9][0-9]*|\*)[[:space:]]*(,[[:space:]]*[1-9][0-9]*[[:space:]]*)?\])?$'
spark_re='^spark://[^[:space:]:/,]+:[0-9]+(,[^[:space:]:/,]+:[0-9]+)*$'
external_re='^(yarn|k8s://[^[:space:]]+|mesos://[^[:space:]]+|local-cluster\[[[:space:]]*[1-9][0-9]*[[:space:]]*,[[:space:]]*[1-9][0-9]*[[:space:]]*,[[:space:]]*[1-9][0-9]*[[:space:]]*\])$'
if [[ "$master" =~ $external_re ]]; then
  if [[ -z "${SPARK_HOME:-}" ]]; then
    fail "MASTER=$master needs SPARK_HOME: an installed Spark built for it (the Maven Spark runtime has only local and spark:// masters)"
  fi
  if [[ "$master" == yarn && -z "${HADOOP_CONF_DIR:-}${YARN_CONF_DIR:-}" ]]; then
    fail "MASTER=yarn needs HADOOP_CONF_DIR or YARN_CONF_DIR set to the cluster's configuration"
  fi
elif [[ ! "$master" =~ $local_re && ! "$master" =~ $spark_re ]]; then
  fail "MASTER='$master' is not a Spark master URL: local, local[N], local[*], local[N,F] (N, F >= 1), spark://HOST:PORT[,HOST:PORT...], or with SPARK_HOME yarn, k8s://..., mesos://..."
fi

# Memory sizes as the JVM and JavaCPP read them; Spark itself needs a heap of about 450 MB.
size_re='^[0-9]{1,12}[kKmMgGtT]?$'
mebibytes() {
  local n="${1%[kKmMgGtT]}" unit="${1:${#1}-1}"
  n=$((10#$n))
  case "$unit" in
    k | K) echo $((n / 1024)) ;; m | M) echo "$n" ;; g | G) echo $((n * 1024)) ;;
    t | T) echo $((n * 1024 * 1024)) ;; *) echo $((n / 1024 / 1024)) ;;
  esac
}
check_driver_memory() {
  [[ "$2" =~ $size_re ]] || fail "$1='$2' is not a memory size (e.g. 4g, 512m)"
  (($(mebibytes "$2") >= 512)) || fail "$1='$2' is too small: Spark needs a driver heap of at least 512m"
}
# The driver's heap. The job's live Java data is small, but the collector grows the heap towards
# its maximum under training's allocation rate and keeps it: at 4g, the extensions sweep had 2.4 GB
# of heap committed at 3.3 GB resident, 156 MB of it live. The default is sized to the points
# trained at once, one per core of a local master (of this machine for other masters): 1 GB plus
# 256 MB per core (1536m on 2 cores), with no more than 16 cores counted.
cores_of() {
  local n
  if [[ "$1" == local ]]; then
    n=1
  elif [[ "$1" =~ ^local\[[[:space:]]*([1-9][0-9]*) ]]; then
    n="${BASH_REMATCH[1]}"
  else
    n="$(nproc 2>/dev/null || echo 2)"
  fi
  ((n <= 16)) || n=16
  echo "$n"
}
driver_memory="${DRIVER_MEMORY:-$((1024 + 256 * $(cores_of "$master")))m}"
check_driver_memory DRIVER_MEMORY "$driver_memory"
if [[ -n "${MAX_PHYSICAL_MEMORY:-}" && ! "$MAX_PHYSICAL_MEMORY" =~ $size_re ]]; then
  fail "MAX_PHYSICAL_MEMORY='$MAX_PHYSICAL_MEMORY' is not a memory size (e.g. 3g, 0 for no ceiling)"
fi

# SPARK_SUBMIT_ARGS: split as a shell splits words (quotes group, no expansion), then each flag
# checked against spark-submit's options, so a typo or a missing value is one line here instead of
# a stack trace from spark-submit. --driver-java-options are added to this script's own (spark-submit
# keeps only the last one given), --driver-memory replaces DRIVER_MEMORY; --master and --class are
# this script's.
user_args=()
user_driver_opts=""
if [[ -n "${SPARK_SUBMIT_ARGS:-}" && -n "${SPARK_SUBMIT_ARGS//[[:space:]]/}" ]]; then
  if ! xargs printf '' <<<"$SPARK_SUBMIT_ARGS" >/dev/null 2>&1; then
    fail "SPARK_SUBMIT_ARGS has an unmatched quote: $SPARK_SUBMIT_ARGS"
  fi
  words=()
  while IFS= read -r -d '' word; do
    words+=("$word")
  done < <(xargs printf '%s\0' <<<"$SPARK_SUBMIT_ARGS")
  value_options=" --archives --conf -c --deploy-mode --driver-class-path --driver-cores"
  value_options+=" --driver-java-options --driver-library-path --driver-memory --exclude-packages"
  value_options+=" --executor-cores --executor-memory --files --jars --keytab --name --num-executors"
  value_options+=" --packages --principal --properties-file --proxy-user --py-files --queue"
  value_options+=" --repositories --total-executor-cores "
  i=0
  while ((i < ${#words[@]})); do
    word="${words[i]}"
    i=$((i + 1))
    name="$word"
    value=""
    has_value=false
    if [[ "$word" == --*=* ]]; then
      name="${word%%=*}"
      value="${word#*=}"
      has_value=true
    fi
    case "$name" in
      --master) fail "SPARK_SUBMIT_ARGS: --master is run.sh's: set MASTER instead" ;;
      --class) fail "SPARK_SUBMIT_ARGS: --class is run.sh's: it runs io.echolstm.app.Main" ;;
      --verbose | -v | --supervise)
        [[ "$has_value" == false ]] || fail "SPARK_SUBMIT_ARGS: $name takes no value: $word"
        user_args+=("$word")
        continue
        ;;
    esac
    if [[ "$value_options" != *" $name "* ]]; then
      fail "SPARK_SUBMIT_ARGS: '$word' is not a spark-submit option this script passes on (see spark-submit --help)"
    fi
    if [[ "$has_value" == false ]]; then
      ((i < ${#words[@]})) || fail "SPARK_SUBMIT_ARGS: $name needs a value"
      value="${words[i]}"
      i=$((i + 1))
    fi
    case "$name" in
      --conf | -c)
        [[ "$value" =~ ^[^=[:space:]]+= ]] ||
          fail "SPARK_SUBMIT_ARGS: $name needs KEY=VALUE, found '$value'"
        ;;
      --driver-java-options)
        user_driver_opts+=" $value"
        continue
        ;;
      --driver-memory)
        check_driver_memory "SPARK_SUBMIT_ARGS: --driver-memory" "$value"
        driver_memory="$value"
        continue
        ;;
    esac
    user_args+=("$name" "$value")
  done
fi

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
if [[ "$master" == local* || "$master" == spark://127.0.0.1:* ]]; then
  export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
fi

# ND4J's OpenMP threads fight Spark's task threads: one each (driver here, executors below).
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"

# A cluster master gets the cluster profile (event log, task retries; see its header). Spark does
# not create the event-log directory: a local one named in the file is created here.
props=()
if [[ "$master" != local* ]]; then
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

# On a local master the driver JVM also trains. ND4J's native arrays are freed when their owner
# closes them or, for those left to DL4J, when the Java objects that own them are collected. A
# safety net, not the mechanism: JavaCPP's physical-bytes ceiling makes the JVM collect whenever
# the process's resident memory reaches it (and fail with OutOfMemoryError if collecting cannot
# bring it below). The default is twice the driver heap (3g for 1536m); the extensions sweep stays
# at about 2.5 GB without it.
driver_opts="-Dlog4j2.configurationFile=$ROOT/conf/log4j2.properties -Decholstm.home=$ROOT"
if [[ "$master" == local* ]]; then
  driver_opts+=" -Dorg.bytedeco.javacpp.maxPhysicalBytes=${MAX_PHYSICAL_MEMORY:-$((2 * $(mebibytes "$driver_memory")))m}"
fi
# dl4j-spark's training stats (train.collect-stats) clock: the system clock, not its default NTP
# queries of 0.pool.ntp.org, which fail without internet access. The driver here; executors of a
# cluster get it from conf/spark-cluster.conf (in local mode they are this JVM).
driver_opts+=" -Dorg.deeplearning4j.spark.time.TimeSource=org.deeplearning4j.spark.time.SystemClockTimeSource"
# DL4J writes a memory crash dump into the working directory when an allocation fails; the job
# reports the out-of-memory error in its own line and leaves the working directory alone.
driver_opts+=" -Dorg.deeplearning4j.crash.reporting.enabled=false"
# The user's own driver options (SPARK_SUBMIT_ARGS) last: a -D given there wins over one above.
driver_opts+="$user_driver_opts"

submit=(
  "$ROOT/scripts/spark-submit"
  --master "$master"
  --class io.echolstm.app.Main
  --driver-memory "$driver_memory"
  --driver-java-options "$driver_opts"
  --conf spark.executorEnv.OMP_NUM_THREADS=1
  --conf spark.ui.showConsoleProgress=false
  ${props[@]+"${props[@]}"}
  ${user_args[@]+"${user_args[@]}"}
  "$JAR"
)

if [[ "$sweep_then_report" == true ]]; then
  # The sweep runs as this script's child, in its own process group (job control on), so that a
  # signal sent to the script (kill PID, a scheduler stopping the job, Ctrl-C) reaches the sweep
  # exactly once: the sweep then ends with its own line and code (130, 143, 129, 138, 142), and so
  # does this.
  set -m
  "${submit[@]}" sweep --run-id "$run_id" &
  sweep_pid=$!
  for sig in TERM INT HUP USR1 ALRM; do
    trap 'kill -'"$sig"' "$sweep_pid" 2>/dev/null || true' "$sig"
  done
  status=0
  wait "$sweep_pid" || status=$?
  # A trapped signal ends the wait early: wait until the sweep itself has ended.
  while kill -0 "$sweep_pid" 2>/dev/null; do
    status=0
    wait "$sweep_pid" || status=$?
  done
  trap - TERM INT HUP USR1 ALRM
  set +m
  if ((status != 0)); then
    exit "$status"
  fi
  echo
  exec "${submit[@]}" report --run-id "$run_id"
fi
exec "${submit[@]}" "$@"
