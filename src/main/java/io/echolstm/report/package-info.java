/** Reports read back from the results table. */
package io.echolstm.report;
