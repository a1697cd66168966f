/** The Parquet results table: schema, per-point writer, reader. */
package io.echolstm.results;
