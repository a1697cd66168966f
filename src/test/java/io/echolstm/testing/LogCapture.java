package io.echolstm.testing;

import java.util.List;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

/**
 * Collects the formatted messages one class logs at INFO or above while it is open, into a list the
 * test owns.
 */
public final class LogCapture implements AutoCloseable {
  private final org.apache.logging.log4j.core.Logger logger;
  private final AbstractAppender appender;
  private final Level level;

  private LogCapture(Class<?> type, List<String> messages) {
    logger = (org.apache.logging.log4j.core.Logger) LogManager.getLogger(type);
    appender =
        new AbstractAppender(
            "capture-" + type.getSimpleName(), null, null, true, Property.EMPTY_ARRAY) {
          @Override
          public void append(LogEvent event) {
            if (event.getLevel().isMoreSpecificThan(Level.INFO)) {
              synchronized (messages) {
                messages.add(event.getMessage().getFormattedMessage());
              }
            }
          }
        };
    appender.start();
    level = logger.getLevel();
    logger.addAppender(appender);
    logger.setLevel(Level.INFO);
  }

  /** Starts collecting {@code type}'s messages into {@code messages}. */
  public static LogCapture of(Class<?> type, List<String> messages) {
    return new LogCapture(type, messages);
  }

  @Override
  public void close() {
    logger.removeAppender(appender);
    logger.setLevel(level);
    appender.stop();
  }
}
