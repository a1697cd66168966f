/**
 * The sweep: points expanded from the config; the runner, whose scheduler runs each point through
 * its stages (prepare, train with its stop rules, evaluate, save, commit).
 */
package io.echolstm.sweep;
