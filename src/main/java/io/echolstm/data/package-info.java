/** Random integer sequences: pure generation per partition, and the Spark glue that runs it. */
package io.echolstm.data;
