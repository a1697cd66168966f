#!/usr/bin/env bash
# Benchmarks the job on fixed workloads, through the real path (shaded jar, scripts/spark-submit),
# next to the PyTorch peer when python3 with torch is installed. The job's figures come from its
# results table (see table_rows below), not from its log; reading them takes python3's standard
# library only. It prints its report; with --record it also writes each part's figures into
# BENCHMARKS.md (between "bench:PART:begin" and "bench:PART:end" markers), keeping the others.
#
#   scripts/bench.sh                         # every part (about 30 minutes on 2 cores)
#   scripts/bench.sh heavy grid peer         # some parts only
#   scripts/bench.sh --record tutorial peer  # and record them in BENCHMARKS.md
#
# Parts:
#   throughput  steady-state training windows/s of one point (window 5, lag 1, hidden 50) with ONE
#               worker (per core) at batch 32, 128 and 256: fit time only, from the first entry
#               of the row's history to the last (data preparation, warm-up and evaluation excluded)
#   heavy       one heavy point (window 10, lag 1, hidden 256, batch 128) on local[2] with 1 and
#               with 2 parameter-averaging workers, TRIALS times each, alternating: the median
#               2-worker / 1-worker speed-up of steady windows/s, beside the machine's own parallel
#               limit (with the peer: two one-thread torch_echo.py runs at once against one, median
#               of TRIALS trials); test accuracy of each
#   crossover   from what size a second worker pays: one point (lag 1, batch 128, one epoch) on
#               local[2] with 1 and with 2 workers at each WINDOWxHIDDEN of CROSSOVER_SIZES
#               (default 5x50 5x128 10x128 10x256), steady windows/s and their ratio
#   tutorial    wall time of `scripts/run.sh sweep --set train.target-accuracy=0.99` (start-up
#               included, jar already built) in total, and each point's row
#   grid        a 24-point echo-lag grid (windows 3, 5, 8 x lags 0-7, controls included, target
#               0.99 or plateau, two points at once) beside torch_grid.py on the same grid
#   split       where a point's wall time goes, points run one at a time (echo-lag, lags 0-5, target
#               0.99): prepare, train (fit), validation and test scoring from each row, and the rest
#               of the time to the next point's start (save, commit, scheduling on the point's path)
#   extensions  wall time and peak resident memory of `scripts/run.sh --conf conf/extensions.properties`
#               with no native-memory ceiling (MAX_PHYSICAL_MEMORY=0)
#   cluster     on a local standalone cluster (scripts/cluster.sh, two one-core workers): the
#               throughput point at batch 128 with 2 workers beside the same point on
#               local[*]; a 16-point sweep (windows 3, 5 x lags 0-7, target 0.99) beside local[2];
#               the extensions sweep with each executor's peak resident memory
#   memory      the driver's peak resident memory on that cluster for one point at 1x and 10x the
#               training sequences
#   plan        wall time of `scripts/run.sh plan` on the tutorial config, three runs (target: under
#               10 s; it starts no Spark and trains nothing)
#   peer        the PyTorch peer on the same work, each run right after the job's run it is
#               compared with (so both see the same machine load): torch_echo.py after each
#               throughput point, torch_sweep.py after the tutorial sweep, torch_grid.py after the
#               grid, the two-process trials after the heavy point; each figure and ratio in that
#               part's section (skipped, with a note, when torch is missing). Alone, the peer's own
#               figures, in the peer section
#
# Environment: PEER_DIR (the peer's scripts; default: the "shared/peer" folder beside the project),
# PYTHON (a python3 with torch; default: the first of python3, /usr/bin/python3 that imports it),
# BENCH_DIR (scratch and logs; default target/bench), TRIALS (heavy: trials per setting, default 3),
# CROSSOVER_SIZES (crossover: the WINDOWxHIDDEN sizes).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH_DIR="${BENCH_DIR:-$ROOT/target/bench}"
PEER_DIR="${PEER_DIR:-$ROOT/../shared/peer}"
RUN="$ROOT/scripts/run.sh"
rm -rf "$BENCH_DIR"
mkdir -p "$BENCH_DIR"

record_md=false
parts=()
for a in "$@"; do
  if [[ "$a" == --record ]]; then record_md=true; else parts+=("$a"); fi
done
ALL_PARTS=(throughput heavy crossover tutorial grid split extensions cluster memory plan peer)
[[ ${#parts[@]} -gt 0 ]] || parts=("${ALL_PARTS[@]}")
TRIALS="${TRIALS:-3}"
CROSSOVER_SIZES="${CROSSOVER_SIZES:-5x50 5x128 10x128 10x256}"
wants() {
  local p
  for p in "${parts[@]}"; do [[ "$p" == "$1" ]] && return 0; done
  return 1
}
for p in "${parts[@]}"; do
  case "$p" in
    throughput | heavy | crossover | tutorial | grid | split | extensions | cluster | memory | plan | peer) ;;
    *) echo "bench.sh: unknown part '$p' (${ALL_PARTS[*]}, and --record)" >&2; exit 2 ;;
  esac
done

# Each part's figures go to their own report, recorded in their own section of BENCHMARKS.md, so
# running some parts again updates those and keeps the others.
part=""
record() { tee -a "$BENCH_DIR/report-$part.md"; }
say() { echo "$*" | record; }
log() { echo "bench.sh: $*" >&2; }

command -v python3 >/dev/null || {
  log "needs python3 (its standard library only) to read the results table"
  exit 2
}

# Figures from the results table, never from log wording: the job's `report` writes the rows of a
# run to points.jsonl (README, "Report"), and python3's json module prints the named columns of
# each row, in the report's order, tab-separated (n/a for null). Besides the table's columns:
#   steady_windows_per_second   training windows/s from the first entry of `history` to the last
#                               (fit time only; the first interval, which pays for warm-up, left out)
#
#   table_rows RESULTS RUN_ID COLUMN...      # one line per row
#   table_rows -m RESULTS RUN_ID COLUMN...   # a Markdown table, with a header
# RUN_ID may be several, comma-separated: their rows in one report (one Spark start).
table_rows() {
  local markdown=0
  if [[ "$1" == -m ]]; then
    markdown=1
    shift
  fi
  local results="$1" runs="$2" out="$BENCH_DIR/table-${2//,/+}" run_args=() r
  shift 2
  IFS=, read -r -a run_list <<<"$runs"
  for r in "${run_list[@]}"; do run_args+=(--run-id "$r"); done
  "$RUN" report --results "$results" "${run_args[@]}" --out "$out" >"$out.log" 2>&1 || {
    log "report of $runs failed; see $out.log"
    return 1
  }
  python3 - "$markdown" "$out/points.jsonl" "$@" <<'PY'
import json
import sys

markdown, path, columns = sys.argv[1] == "1", sys.argv[2], sys.argv[3:]


def steady_windows_per_second(row):
    h = row.get("history") or []
    if len(h) < 2 or h[-1]["train_seconds"] <= h[0]["train_seconds"]:
        return None
    windows = h[-1]["train_windows"] - h[0]["train_windows"]
    return windows / (h[-1]["train_seconds"] - h[0]["train_seconds"])


DERIVED = {"steady_windows_per_second": steady_windows_per_second}


def show(v):
    if v is None:
        return "n/a"
    if isinstance(v, bool):
        return str(v).lower()
    if isinstance(v, float):
        return f"{v:.0f}" if abs(v) >= 1000 else f"{v:.4g}"
    return str(v)


with open(path) as f:
    rows = [json.loads(line) for line in f]
cells = [[show(DERIVED[c](r) if c in DERIVED else r.get(c)) for c in columns] for r in rows]
if markdown:
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))
for line in cells:
    print("| " + " | ".join(line) + " |" if markdown else "\t".join(line))
PY
}
# The columns of a sweep's table in BENCHMARKS.md.
SWEEP_COLUMNS=(experiment variant lag window hidden accuracy reachable_accuracy stop_reason epochs
  train_windows train_seconds windows_per_second)
# The PyTorch peer, one thread: windows/s of torch_echo.py at a batch size, and the wall seconds
# of its tutorial sweep (interpreter start included; its output kept in peer-sweep.log).
peer_windows_per_s() {
  OMP_NUM_THREADS=1 "$PYTHON" "$PEER_DIR/torch_echo.py" "$1" 2000 1 | sed -E 's/.*samples\/s=([0-9]+).*/\1/'
}
peer_sweep_seconds() {
  local start
  start="$(now)"
  OMP_NUM_THREADS=1 "$PYTHON" "$PEER_DIR/torch_sweep.py" 128 1 >"$BENCH_DIR/peer-sweep.log"
  echo "$(now) - $start" | bc
}

# Build once, so no timed run includes the build.
(cd "$ROOT" && mvn -B -q -ntp -DskipTests package >&2)

# A python3 that imports torch: PYTHON if given, else the first of python3, /usr/bin/python3.
python_with_torch=""
for candidate in ${PYTHON:-python3 /usr/bin/python3}; do
  if command -v "$candidate" >/dev/null && "$candidate" -c 'import torch' 2>/dev/null; then
    python_with_torch="$candidate"
    break
  fi
done
PYTHON="$python_with_torch"
have_peer() { [[ -n "$PYTHON" && -f "$PEER_DIR/torch_echo.py" ]]; }

# Seconds since the epoch, with fractions.
now() { date +%s.%N; }

# One point of echo-lag (window 5, lag 1, hidden 50): two epochs, no early stop, evaluated every
# 10,000 windows; one worker unless the caller sets train.workers.
throughput_point() {
  local batch="$1" name="$2"
  shift 2
  "$RUN" sweep --experiment echo-lag --set sweep.lags=1 --set train.workers=1 \
    --set train.batch-size="$batch" --set train.epochs=2 --set train.patience=0 \
    --set eval.every-windows=10000 --results "$BENCH_DIR/results-throughput" --run-id "$name" "$@" \
    >"$BENCH_DIR/$name.log" 2>&1
}
ratio() { if [[ "$1" == n/a || "$2" == n/a ]]; then echo n/a; else echo "scale=2; $1 / $2" | bc; fi; }
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

declare -A local_rate
if wants throughput; then
  part=throughput
  say "### Steady-state training throughput per core (window 5, lag 1, hidden 50, one worker, local[*])"
  say ""
  with_peer=false
  if wants peer && have_peer; then with_peer=true; fi
  if $with_peer; then
    say "| batch | job windows/s | PyTorch peer windows/s (1 thread, right after) | job / peer |"
    say "|---|---|---|---|"
  else
    say "| batch | job windows/s |"
    say "|---|---|"
  fi
  declare -A peer_rate
  for b in 32 128 256; do
    log "throughput at batch $b"
    throughput_point "$b" "throughput-$b"
    if $with_peer; then peer_rate[$b]="$(peer_windows_per_s "$b")"; fi
  done
  while IFS=$'\t' read -r run rate; do
    b="${run#throughput-}"
    local_rate[$b]="$rate"
    if $with_peer; then
      say "| $b | $rate | ${peer_rate[$b]} | $(ratio "$rate" "${peer_rate[$b]}") |"
    else
      say "| $b | $rate |"
    fi
  done < <(table_rows "$BENCH_DIR/results-throughput" throughput-32,throughput-128,throughput-256 \
    run_id steady_windows_per_second)
  say ""
fi

# One echo-lag point (lag 1, batch 128, one epoch, no plateau stop) on local[2]: window $1,
# hidden $2, $3 workers, run id $4, into the results directory $5.
sized_point() {
  local window="$1" hidden="$2" workers="$3" name="$4" results="$5"
  MASTER='local[2]' "$RUN" sweep --experiment echo-lag --set sweep.windows="$window" \
    --set sweep.lags=1 --set model.hidden="$hidden" --set train.batch-size=128 \
    --set train.workers="$workers" --set train.epochs=1 --set train.patience=0 \
    --set model.save=false --results "$results" --run-id "$name" >"$BENCH_DIR/$name.log" 2>&1
}
# The heavy point (window 10, lag 1, hidden 256, batch 128) on local[2] with $1 workers.
heavy_point() {
  sized_point 10 256 "$1" "$2" "$BENCH_DIR/results-heavy"
}
# Two one-thread torch_echo.py runs at once: the sum of their windows/s.
peer_pair_windows_per_s() {
  local a b
  OMP_NUM_THREADS=1 "$PYTHON" "$PEER_DIR/torch_echo.py" 128 4000 1 >"$BENCH_DIR/peer-pair-a.log" &
  a=$!
  OMP_NUM_THREADS=1 "$PYTHON" "$PEER_DIR/torch_echo.py" 128 4000 1 >"$BENCH_DIR/peer-pair-b.log" &
  b=$!
  wait "$a" "$b"
  cat "$BENCH_DIR/peer-pair-a.log" "$BENCH_DIR/peer-pair-b.log" |
    sed -E 's/.*samples\/s=([0-9]+).*/\1/' | awk '{ s += $1 } END { print s }'
}

if wants heavy; then
  part=heavy
  say "### Heavy point (window 10, lag 1, hidden 256, batch 128), local[2]: 2 workers vs 1"
  say ""
  say "| trial | 1 worker windows/s | 2 workers windows/s | speed-up | test accuracy 1 / 2 workers |"
  say "|---|---|---|---|---|"
  speedups=()
  runs=()
  for t in $(seq 1 "$TRIALS"); do
    log "heavy point, trial $t"
    heavy_point 1 "heavy-1-$t"
    heavy_point 2 "heavy-2-$t"
    runs+=("heavy-1-$t" "heavy-2-$t")
  done
  declare -A heavy_rate heavy_accuracy
  while IFS=$'\t' read -r run rate accuracy; do
    heavy_rate[$run]="$rate"
    heavy_accuracy[$run]="$accuracy"
  done < <(table_rows "$BENCH_DIR/results-heavy" "$(IFS=,; echo "${runs[*]}")" \
    run_id steady_windows_per_second accuracy)
  for t in $(seq 1 "$TRIALS"); do
    one="${heavy_rate[heavy-1-$t]}"
    two="${heavy_rate[heavy-2-$t]}"
    sp="$(ratio "$two" "$one")"
    speedups+=("$sp")
    say "| $t | $one | $two | $sp | ${heavy_accuracy[heavy-1-$t]} / ${heavy_accuracy[heavy-2-$t]} |"
  done
  job_speedup="$(median "${speedups[@]}")"
  say ""
  say "Median 2-worker / 1-worker speed-up: **$job_speedup**"
  if wants peer && have_peer; then
    say ""
    say "The machine's own parallel limit: two one-thread torch_echo.py runs at once against one run alone:"
    say ""
    say "| trial | one run windows/s | two at once, summed | two-process speed-up |"
    say "|---|---|---|---|"
    limits=()
    for t in $(seq 1 "$TRIALS"); do
      one="$(OMP_NUM_THREADS=1 "$PYTHON" "$PEER_DIR/torch_echo.py" 128 4000 1 | sed -E 's/.*samples\/s=([0-9]+).*/\1/')"
      two="$(peer_pair_windows_per_s)"
      l="$(ratio "$two" "$one")"
      limits+=("$l")
      say "| $t | $one | $two | $l |"
    done
    machine="$(median "${limits[@]}")"
    say ""
    say "Median two-process speed-up: **$machine**; the job's speed-up relative to it: **$(ratio "$job_speedup" "$machine")** (target >= 0.85, and the job's own >= 1.4)"
  fi
  say ""
fi

if wants crossover; then
  part=crossover
  say "### When a second worker pays: one point (lag 1, batch 128) on local[2], 2 workers vs 1, by size"
  say ""
  say "| window | hidden | 1 worker windows/s | 2 workers windows/s | speed-up |"
  say "|---|---|---|---|---|"
  runs=()
  for size in $CROSSOVER_SIZES; do
    window="${size%x*}"
    hidden="${size#*x}"
    log "crossover: window $window, hidden $hidden"
    sized_point "$window" "$hidden" 1 "cross-$size-1" "$BENCH_DIR/results-crossover"
    sized_point "$window" "$hidden" 2 "cross-$size-2" "$BENCH_DIR/results-crossover"
    runs+=("cross-$size-1" "cross-$size-2")
  done
  declare -A cross_rate
  while IFS=$'\t' read -r run rate; do
    cross_rate[$run]="$rate"
  done < <(table_rows "$BENCH_DIR/results-crossover" "$(IFS=,; echo "${runs[*]}")" \
    run_id steady_windows_per_second)
  for size in $CROSSOVER_SIZES; do
    one="${cross_rate[cross-$size-1]}"
    two="${cross_rate[cross-$size-2]}"
    say "| ${size%x*} | ${size#*x} | $one | $two | $(ratio "$two" "$one") |"
  done
  say ""
fi

if wants plan; then
  part=plan
  say "### \`scripts/run.sh plan\` on the tutorial config (target: under 10 s)"
  say ""
  say "| run | wall s | points listed |"
  say "|---|---|---|"
  for i in 1 2 3; do
    log "plan, run $i"
    start="$(now)"
    "$RUN" plan --results "$BENCH_DIR/results-plan" >"$BENCH_DIR/plan-$i.log" 2>&1
    plan_s="$(echo "$(now) - $start" | bc)"
    listed="$(grep -cE '^ +[0-9]+/[0-9]+  ' "$BENCH_DIR/plan-$i.log" || true)"
    say "| $i | $(printf '%.1f' "$plan_s") | $listed |"
  done
  say ""
fi

if wants tutorial; then
  part=tutorial
  log "tutorial sweep"
  start="$(now)"
  "$RUN" sweep --set train.target-accuracy=0.99 --results "$BENCH_DIR/results-tutorial" \
    --run-id tutorial >"$BENCH_DIR/tutorial.log" 2>&1
  tutorial_s="$(echo "$(now) - $start" | bc)"
  if wants peer && have_peer; then
    peer_sweep_s="$(peer_sweep_seconds)"
  fi
  say "### Tutorial sweep to a decided table (target 0.99 on validation), local[*]"
  say ""
  say "Wall time as the user waits for it (JVM and Spark start-up included, jar built): $(printf '%.1f' "$tutorial_s") s"
  say ""
  table_rows -m "$BENCH_DIR/results-tutorial" tutorial "${SWEEP_COLUMNS[@]}" | record
  say ""
  if [[ -n "${peer_sweep_s:-}" ]]; then
    say "PyTorch peer right after (torch_sweep.py 128 1): $(printf '%.1f' "$peer_sweep_s") s; job relative to peer (peer time / job time): **$(ratio "$peer_sweep_s" "$tutorial_s")** (target >= 0.5)"
    say ""
  fi
fi

GRID_WINDOWS=3,5,8
GRID_LAGS=0,1,2,3,4,5,6,7
if wants grid; then
  part=grid
  log "grid sweep"
  start="$(now)"
  "$RUN" sweep --experiment echo-lag --set sweep.windows="$GRID_WINDOWS" --set sweep.lags="$GRID_LAGS" \
    --set train.target-accuracy=0.99 --results "$BENCH_DIR/results-grid" --run-id grid \
    >"$BENCH_DIR/grid.log" 2>&1
  grid_s="$(echo "$(now) - $start" | bc)"
  say "### A 24-point echo-lag grid (windows $GRID_WINDOWS x lags $GRID_LAGS, target 0.99 or plateau), local[*]"
  say ""
  say "Wall time (start-up included, jar built): $(printf '%.1f' "$grid_s") s"
  say ""
  table_rows -m "$BENCH_DIR/results-grid" grid "${SWEEP_COLUMNS[@]}" | record
  say ""
  if wants peer && have_peer; then
    start="$(now)"
    OMP_NUM_THREADS=1 "$PYTHON" "$PEER_DIR/torch_grid.py" 128 1 "$GRID_WINDOWS" "$GRID_LAGS" 50 \
      >"$BENCH_DIR/peer-grid.log"
    peer_grid_s="$(echo "$(now) - $start" | bc)"
    say "PyTorch peer right after (torch_grid.py 128 1 $GRID_WINDOWS $GRID_LAGS 50): $(printf '%.1f' "$peer_grid_s") s; job relative to peer (peer time / job time): **$(ratio "$peer_grid_s" "$grid_s")** (target >= 0.6)"
    say ""
  fi
fi

if wants split; then
  part=split
  log "point wall-time split"
  "$RUN" sweep --experiment echo-lag --set sweep.concurrency=1 --set train.target-accuracy=0.99 \
    --results "$BENCH_DIR/results-split" --run-id split >"$BENCH_DIR/split.log" 2>&1
  table_rows "$BENCH_DIR/results-split" split started_at lag prepare_seconds train_seconds \
    validation_seconds test_seconds >"$BENCH_DIR/split.tsv"
  say "### Where a point's wall time goes (echo-lag, lags 0-5, target 0.99, one point at a time), local[*]"
  say ""
  python3 - "$BENCH_DIR/split.tsv" <<'PY' | record
import sys
from datetime import datetime

rows = []
for line in open(sys.argv[1]):
    started, lag, *secs = line.rstrip("\n").split("\t")
    rows.append((datetime.fromisoformat(started.replace("Z", "+00:00")), lag, [float(s) for s in secs]))
rows.sort()
print("| lag | wall to the next point, s | prepare | train (fit) | validation | test | rest (save, commit, scheduling) |")
print("|---|---|---|---|---|---|---|")
totals = [0.0] * 6
for (t, lag, secs), (nxt, _, _) in zip(rows, rows[1:]):
    wall = (nxt - t).total_seconds()
    rest = wall - sum(secs)
    parts = [wall] + secs + [rest]
    totals = [a + b for a, b in zip(totals, parts)]
    print(f"| {lag} | " + " | ".join(f"{p:.2f}" for p in parts) + " |")
n = max(1, len(rows) - 1)
print("| mean | " + " | ".join(f"{p / n:.2f}" for p in totals) + " |")
PY
  say ""
  say "(The last point has no next start; it is left out.)"
  say ""
fi

# The peak resident memory (MB) of every process whose command line matches $1, sampled each second
# until the file $2.stop exists; written to $2 as "pid MB" lines.
sample_rss() {
  local pattern="$1" out="$2"
  : >"$out.samples"
  while [[ ! -e "$out.stop" ]]; do
    ps -eo pid=,rss=,args= | awk -v p="$pattern" '$0 ~ p && !/awk/ { print $1, int($2 / 1024) }' >>"$out.samples"
    sleep 1
  done
  sort -k1,1 -k2,2nr "$out.samples" | awk '!seen[$1]++' >"$out"
}

if wants extensions; then
  part=extensions
  log "extensions sweep, no native-memory ceiling"
  start="$(now)"
  MAX_PHYSICAL_MEMORY=0 /usr/bin/time -f '%M' -o "$BENCH_DIR/extensions.rss" \
    "$RUN" --conf "$ROOT/conf/extensions.properties" --results "$BENCH_DIR/results-extensions" \
    --run-id extensions >"$BENCH_DIR/extensions.log" 2>&1
  ext_s="$(echo "$(now) - $start" | bc)"
  ext_rss_mb="$(($(tail -1 "$BENCH_DIR/extensions.rss") / 1024))"
  say "### Extensions sweep (conf/extensions.properties), local[*], MAX_PHYSICAL_MEMORY=0 (no ceiling)"
  say ""
  say "Wall time $(printf '%.1f' "$ext_s") s (target <= 300); peak resident memory $ext_rss_mb MB (target <= 3072)."
  say ""
  table_rows -m "$BENCH_DIR/results-extensions" extensions "${SWEEP_COLUMNS[@]}" | record
  say ""
fi

CLUSTER_SWEEP=(sweep --experiment echo-lag --set sweep.windows=3,5 --set sweep.lags=0-7
  --set train.target-accuracy=0.99)
if wants cluster || wants memory; then
  export CLUSTER_DIR="$BENCH_DIR/cluster"
  master="$("$ROOT/scripts/cluster.sh" start)"
  trap '"$ROOT/scripts/cluster.sh" stop >/dev/null 2>&1 || true' EXIT
  if wants cluster; then
    part=cluster
    log "one point on the standalone cluster $master and on local[*]"
    MASTER="$master" throughput_point 128 cluster-point --set train.workers=2
    throughput_point 128 local-point --set train.workers=2
    declare -A point_rate
    while IFS=$'\t' read -r run rate; do point_rate[$run]="$rate"; done < <(
      table_rows "$BENCH_DIR/results-throughput" cluster-point,local-point run_id steady_windows_per_second
    )
    cluster_rate="${point_rate[cluster-point]}"
    local_point_rate="${point_rate[local-point]}"
    say "### A local standalone cluster (2 one-core workers, executors in their own JVMs)"
    say ""
    say "One point (window 5, lag 1, hidden 50, batch 128, 2 workers on both):"
    say ""
    say "| master | steady windows/s |"
    say "|---|---|"
    say "| standalone cluster | $cluster_rate |"
    say "| local[*] | $local_point_rate |"
    say "| ratio cluster / local | **$(ratio "$cluster_rate" "$local_point_rate")** (target >= 0.9) |"
    say ""
    log "16-point sweep on the cluster and on local[2]"
    start="$(now)"
    MASTER="$master" "$RUN" "${CLUSTER_SWEEP[@]}" --results "$BENCH_DIR/results-sweep16" \
      --run-id cluster16 >"$BENCH_DIR/cluster16.log" 2>&1
    cluster16_s="$(echo "$(now) - $start" | bc)"
    start="$(now)"
    MASTER='local[2]' "$RUN" "${CLUSTER_SWEEP[@]}" --results "$BENCH_DIR/results-sweep16" \
      --run-id local16 >"$BENCH_DIR/local16.log" 2>&1
    local16_s="$(echo "$(now) - $start" | bc)"
    say "A 16-point sweep (${CLUSTER_SWEEP[*]:1}), start-up included:"
    say ""
    say "| master | wall s |"
    say "|---|---|"
    say "| standalone cluster | $(printf '%.1f' "$cluster16_s") |"
    say "| local[2] | $(printf '%.1f' "$local16_s") |"
    say "| ratio cluster / local | **$(ratio "$cluster16_s" "$local16_s")** (target <= 1.25) |"
    say ""
    log "extensions sweep on the cluster, executors' memory sampled"
    rm -f "$BENCH_DIR/executors-rss.stop"
    sample_rss CoarseGrainedExecutorBackend "$BENCH_DIR/executors-rss" &
    sampler=$!
    start="$(now)"
    MASTER="$master" "$RUN" --conf "$ROOT/conf/extensions.properties" \
      --results "$BENCH_DIR/results-cluster-extensions" --run-id cluster-extensions \
      >"$BENCH_DIR/cluster-extensions.log" 2>&1
    cluster_ext_s="$(echo "$(now) - $start" | bc)"
    touch "$BENCH_DIR/executors-rss.stop"
    wait "$sampler"
    say "The extensions sweep on the cluster: $(printf '%.1f' "$cluster_ext_s") s; each executor's peak resident memory (target <= 2560 MB):"
    say ""
    say "| executor pid | peak RSS MB |"
    say "|---|---|"
    while read -r pid mb; do say "| $pid | $mb |"; done <"$BENCH_DIR/executors-rss"
    say ""
  fi
  if wants memory; then
    part=memory
    say "### Driver peak memory on the standalone cluster, one point, 1 epoch"
    say ""
    say "| training sequences | driver peak RSS (MB) |"
    say "|---|---|"
    for n in 2000 20000; do
      log "driver memory with $n training sequences"
      MASTER="$master" /usr/bin/time -f '%M' -o "$BENCH_DIR/memory-$n.rss" \
        "$RUN" sweep --experiment echo-lag --set sweep.lags=1 --set train.workers=2 \
        --set data.train-sequences="$n" --set train.epochs=1 --set train.patience=0 \
        --set eval.every-windows=1000000 --results "$BENCH_DIR/results-memory" \
        --run-id "memory-$n" >"$BENCH_DIR/memory-$n.log" 2>&1
      say "| $n | $(($(tail -1 "$BENCH_DIR/memory-$n.rss") / 1024)) |"
    done
    say ""
  fi
  "$ROOT/scripts/cluster.sh" stop >/dev/null
  trap - EXIT
fi

# Run with job parts, the peer's figures go into those parts' sections (measured right after each
# job run). Run alone, it reports its own figures in the peer section.
if [[ "${parts[*]}" == peer ]]; then
  part=peer
  say "### PyTorch peer alone (the job's comparisons are in the throughput and tutorial sections)"
  say ""
  if ! have_peer; then
    say "No python3 with torch found (Debian: apt-get install python3-torch libopenblas0-pthread),"
    say "or no peer scripts in $PEER_DIR: the peer was not run."
  else
    say "$("$PYTHON" -c 'import torch; print("PyTorch", torch.__version__)'), one thread (OMP_NUM_THREADS=1)"
    say ""
    say "| batch | peer windows/s |"
    say "|---|---|"
    for b in 32 128 256; do
      say "| $b | $(peer_windows_per_s "$b") |"
    done
    say ""
    say "Peer tutorial sweep (torch_sweep.py 128 1, interpreter start included): $(printf '%.1f' "$(peer_sweep_seconds)") s"
    say '```'
    record <"$BENCH_DIR/peer-sweep.log"
    say '```'
  fi
  say ""
elif wants peer && ! have_peer; then
  if [[ ! -f "$PEER_DIR/torch_echo.py" ]]; then
    log "no peer scripts in $PEER_DIR (set PEER_DIR to the folder with torch_echo.py): the job's figures stand alone"
  else
    log "no python3 with torch (Debian: apt-get install python3-torch libopenblas0-pthread): the job's figures stand alone"
  fi
fi

if $record_md; then
  bench_md="$ROOT/BENCHMARKS.md"
  stamp="$(date -u +%Y-%m-%d), $(nproc) cores, $(java -version 2>&1 | head -1)"
  for p in "${parts[@]}"; do
    [[ -s "$BENCH_DIR/report-$p.md" ]] || continue
    {
      echo "<!-- bench:$p:begin -->"
      echo "_\`scripts/bench.sh $p\`, ${stamp}_"
      echo ""
      cat "$BENCH_DIR/report-$p.md"
      echo "<!-- bench:$p:end -->"
    } >"$BENCH_DIR/section-$p.md"
    if grep -q "<!-- bench:$p:begin -->" "$bench_md"; then
      awk -v section="$BENCH_DIR/section-$p.md" -v begin="<!-- bench:$p:begin -->" \
        -v end="<!-- bench:$p:end -->" '
        $0 == begin { while ((getline line < section) > 0) print line; skip = 1; next }
        $0 == end { skip = 0; next }
        !skip { print }' "$bench_md" >"$BENCH_DIR/BENCHMARKS.md.new"
      mv "$BENCH_DIR/BENCHMARKS.md.new" "$bench_md"
    else
      { echo ""; cat "$BENCH_DIR/section-$p.md"; } >>"$bench_md"
    fi
  done
  log "recorded in BENCHMARKS.md"
fi
