/** Lagged windows: a pure-Java reference framing and the Spark SQL version that must equal it. */
package io.echolstm.window;
