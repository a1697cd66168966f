package io.echolstm.model;

/**
 * One computed forward pass of the fast LSTM: its key (everything the pass depends on) and what
 * backprop needs of it. Arrays are reused across calls and may be longer than the shape needs.
 */
final class ForwardState {
  int m;
  int n;
  int h;
  int t;
  // Key: everything the forward pass depends on.
  float[] x; // input, c order [m, n, t]
  float[] w; // input weights, f order [n, 4h]
  float[] r; // recurrent weights, f order [h, 4h]
  float[] bias; // [4h]
  float[] mask; // [m, t] c order, or null
  float[] h0; // [m, h] f order
  float[] c0;
  // Value.
  int[] hot; // per row t*m+b: the indices of its 1s (at r and t*m+r), -1 for none; null if dense
  boolean zeroInit;
  float[] acts; // per step f order [m, 4h]: tanh(zi), sigmoid(zf), sigmoid(zo), sigmoid(zg)
  float[] tc; // per step f order [m, h]: tanh(c) before masking
  float[] c; // per step f order [m, h]: c after masking
  float[] out; // per step f order [m, h]: h after masking (= output, f order [m, h, t])
  boolean valid;
  long version;
}
