/** Held-out evaluation: accuracy, cross-entropy and a sample of predictions. */
package io.echolstm.eval;
