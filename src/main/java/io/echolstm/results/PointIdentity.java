package io.echolstm.results;

/** Which point of which run a row describes. Each component's {@link ColumnDoc} is its meaning. */
public record PointIdentity(
    @ColumnDoc("the run (`--run-id`; partition column)") String runId,
    @ColumnDoc("`p` + 16 hex digits of SHA-256 of `point_key` (partition column)") String pointId,
    @ColumnDoc(
            "the point's settings as `name=value` separated by spaces: those of the first"
                + " release always, a setting added since only when not at its default (see"
                + " \"Point ids\")")
        String pointKey,
    @ColumnDoc("experiment name") String experiment,
    @ColumnDoc(
            "the label is not in the model's input (lag ≥ window, except for `whole-sequence` and"
                + " `stateful`): a control, expected to stay at chance")
        boolean control) {}
