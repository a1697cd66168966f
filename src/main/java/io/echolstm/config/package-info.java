/** Settings records for each stage, their keys and defaults, and the one loader that reads them. */
package io.echolstm.config;
