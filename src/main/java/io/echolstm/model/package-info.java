/** Network factory: settings to a DL4J configuration, separate from training. */
package io.echolstm.model;
