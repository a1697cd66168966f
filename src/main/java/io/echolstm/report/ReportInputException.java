package io.echolstm.report;

/** The report cannot be made from what it was given: no table there, an unknown run id. */
public final class ReportInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ReportInputException(String message) {
    super(message);
  }
}
