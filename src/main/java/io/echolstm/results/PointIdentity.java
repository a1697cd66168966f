package io.echolstm.results;

/**
 * Which point of which run a row describes.
 *
 * @param runId the run ({@code --run-id}); a partition column
 * @param pointId a hash of the point key; a partition column
 * @param pointKey every setting that decides the point's result, as text
 * @param experiment the config's experiment name
 * @param control whether the label is out of the model's sight (expected at chance)
 */
public record PointIdentity(
    String runId, String pointId, String pointKey, String experiment, boolean control) {}
