/** Frames to network arrays and back: one encoding for training, evaluation and prediction. */
package io.echolstm.codec;
