/**
 * Reading a file the job is handed (a config, a saved model, a run's lease or plan record): a
 * regular file, read up to a size bound, refused in one line naming it otherwise.
 */
package io.echolstm.files;
