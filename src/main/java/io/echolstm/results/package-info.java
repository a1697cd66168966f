/**
 * The Parquet results table: schema, per-point writer, reader; each run's lease and plan record.
 */
package io.echolstm.results;
