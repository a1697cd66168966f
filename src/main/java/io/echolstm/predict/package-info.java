/** Using a saved model: echo a sequence with the network a sweep point trained. No Spark. */
package io.echolstm.predict;
