#!/usr/bin/env bash
# Benchmarks the job on fixed workloads, through the real path (shaded jar, scripts/spark-submit),
# next to the PyTorch peer when python3 with torch is installed, and records the figures in
# BENCHMARKS.md, one section per part (between "bench:PART:begin" and "bench:PART:end" markers).
# The job's figures come from its results table (see table_rows below), not from its log; reading
# them takes python3's standard library only.
#
#   scripts/bench.sh              # everything (about 15 minutes on 2 cores)
#   scripts/bench.sh throughput tutorial peer   # some parts only
#
# Parts:
#   throughput  steady-state training windows/s of one point (window 5, lag 1, hidden 50, two
#               workers on local[*]) at batch 32, 128 and 256: fit time only, from the first entry
#               of the row's history to the last (data preparation, warm-up and evaluation excluded)
#   tutorial    wall time of `scripts/run.sh sweep --set train.target-accuracy=0.99` (start-up
#               included, jar already built) in total, and each point's row
#   extensions  wall time and peak resident memory of `scripts/run.sh --conf conf/extensions.properties`
#   cluster     the throughput point at batch 128 on a local standalone cluster (scripts/cluster.sh,
#               two one-core workers, default settings) beside the same point on local[*]
#   memory      the driver's peak resident memory on that cluster for one point at 1x and 10x the
#               training sequences
#   plan        wall time of `scripts/run.sh plan` on the tutorial config, three runs (target: under
#               10 s; it starts no Spark and trains nothing)
#   peer        the PyTorch peer on the same work, each run right after the job's run it is
#               compared with (so both see the same machine load): torch_echo.py after each
#               throughput point, torch_sweep.py after the tutorial sweep; each figure and ratio
#               recorded in that part's section (skipped, with a note, when torch is missing).
#               Alone, the peer's own figures, in the peer section
#
# Environment: PEER_DIR (the peer's scripts; default: the "shared/peer" folder beside the project),
# PYTHON (a python3 with torch; default: the first of python3, /usr/bin/python3 that imports it),
# BENCH_DIR (scratch and logs; default target/bench), NO_RECORD=1 (print only, leave BENCHMARKS.md).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH_DIR="${BENCH_DIR:-$ROOT/target/bench}"
PEER_DIR="${PEER_DIR:-$ROOT/../shared/peer}"
RUN="$ROOT/scripts/run.sh"
rm -rf "$BENCH_DIR"
mkdir -p "$BENCH_DIR"

parts=("$@")
[[ ${#parts[@]} -gt 0 ]] || parts=(throughput tutorial extensions cluster memory plan peer)
wants() {
  local p
  for p in "${parts[@]}"; do [[ "$p" == "$1" ]] && return 0; done
  return 1
}
for p in "${parts[@]}"; do
  case "$p" in
    throughput | tutorial | extensions | cluster | memory | plan | peer) ;;
    *) echo "bench.sh: unknown part '$p' (throughput tutorial extensions cluster memory plan peer)" >&2; exit 2 ;;
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
table_rows() {
  local markdown=0
  if [[ "$1" == -m ]]; then
    markdown=1
    shift
  fi
  local results="$1" run="$2" out="$BENCH_DIR/table-$2"
  shift 2
  "$RUN" report --results "$results" --run-id "$run" --out "$out" >"$out.log" 2>&1 || {
    log "report of run $run failed; see $out.log"
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
# 10,000 windows.
throughput_point() {
  local batch="$1" name="$2"
  shift 2
  "$RUN" sweep --experiment echo-lag --set sweep.lags=1 --set train.workers=2 \
    --set train.batch-size="$batch" --set train.epochs=2 --set train.patience=0 \
    --set eval.every-windows=10000 --results "$BENCH_DIR/results-$name" --run-id "$name" "$@" \
    >"$BENCH_DIR/$name.log" 2>&1
}
# Its steady-state windows/s, from its row.
throughput_rate() { table_rows "$BENCH_DIR/results-$1" "$1" steady_windows_per_second; }

declare -A local_rate
if wants throughput; then
  part=throughput
  say "### Steady-state training throughput (window 5, lag 1, hidden 50, 2 workers, local[*])"
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
  for b in 32 128 256; do
    log "throughput at batch $b"
    throughput_point "$b" "throughput-$b"
    if $with_peer; then
      peer="$(peer_windows_per_s "$b")"
    fi
    local_rate[$b]="$(throughput_rate "throughput-$b")"
    if $with_peer; then
      ratio=n/a
      [[ "${local_rate[$b]}" != n/a ]] && ratio="$(echo "scale=2; ${local_rate[$b]} / $peer" | bc)"
      say "| $b | ${local_rate[$b]} | $peer | $ratio |"
    else
      say "| $b | ${local_rate[$b]} |"
    fi
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
    say "PyTorch peer right after (torch_sweep.py 128 1): $(printf '%.1f' "$peer_sweep_s") s; job relative to peer (peer time / job time): $(echo "scale=2; $peer_sweep_s / $tutorial_s" | bc)"
    say ""
  fi
fi

if wants extensions; then
  part=extensions
  log "extensions sweep"
  start="$(now)"
  /usr/bin/time -f '%M' -o "$BENCH_DIR/extensions.rss" \
    "$RUN" --conf "$ROOT/conf/extensions.properties" --results "$BENCH_DIR/results-extensions" \
    --run-id extensions >"$BENCH_DIR/extensions.log" 2>&1
  ext_s="$(echo "$(now) - $start" | bc)"
  ext_rss_mb="$(($(tail -1 "$BENCH_DIR/extensions.rss") / 1024))"
  say "### Extensions sweep (conf/extensions.properties), local[*]"
  say ""
  say "Wall time $(printf '%.1f' "$ext_s") s; peak resident memory $ext_rss_mb MB."
  say ""
  table_rows -m "$BENCH_DIR/results-extensions" extensions "${SWEEP_COLUMNS[@]}" | record
  say ""
fi

if wants cluster || wants memory; then
  export CLUSTER_DIR="$BENCH_DIR/cluster"
  master="$("$ROOT/scripts/cluster.sh" start)"
  trap '"$ROOT/scripts/cluster.sh" stop >/dev/null 2>&1 || true' EXIT
  if wants cluster; then
    part=cluster
    log "throughput on the standalone cluster $master"
    MASTER="$master" throughput_point 128 cluster-128
    cluster_rate="$(throughput_rate cluster-128)"
    if [[ -z "${local_rate[128]:-}" ]]; then
      throughput_point 128 throughput-128
      local_rate[128]="$(throughput_rate throughput-128)"
    fi
    say "### One point on a local standalone cluster (2 one-core workers) vs local[*]"
    say ""
    say "| master | windows/s at batch 128 |"
    say "|---|---|"
    say "| standalone cluster | $cluster_rate |"
    say "| local[*] | ${local_rate[128]} |"
    if [[ "$cluster_rate" != n/a && "${local_rate[128]}" != n/a ]]; then
      say "| ratio cluster / local | $(echo "scale=2; $cluster_rate / ${local_rate[128]}" | bc) |"
    fi
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
# job run). Run alone, it records its own figures in the peer section.
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
  log "no python3 with torch (Debian: apt-get install python3-torch libopenblas0-pthread): the job's figures stand alone"
fi

if [[ "${NO_RECORD:-}" != 1 ]]; then
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
