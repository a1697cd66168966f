/**
 * From framed windows to DataSets on the executors, and distributed parameter-averaged training.
 */
package io.echolstm.train;
