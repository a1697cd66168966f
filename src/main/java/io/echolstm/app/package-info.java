/** The command line: parse, plan, run, exit code. */
package io.echolstm.app;
