package io.echolstm.results;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The one-line meaning of the results column a record component becomes ({@link RecordColumns}), as
 * the README's results table shows it ({@link ResultsSchema#markdownTable()}). Markdown.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface ColumnDoc {
  String value();
}
