/** The sweep: points expanded from the config, and the runner that trains each one. */
package io.echolstm.sweep;
