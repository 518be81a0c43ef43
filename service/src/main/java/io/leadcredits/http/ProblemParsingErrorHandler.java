package io.leadcredits.http;

import org.apache.pekko.event.LoggingAdapter;
import org.apache.pekko.http.ParsingErrorHandler;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.scaladsl.model.ErrorInfo;
import org.apache.pekko.http.scaladsl.model.StatusCode;
import org.apache.pekko.http.scaladsl.settings.ServerSettings;

/**
 * Answers requests pekko's HTTP parser refuses before any route sees them (a malformed request line
 * or header, an overlong URI or header section) with a problem instead of plain text. Installed by
 * {@link HttpServer}; pekko instantiates it by class name.
 */
public final class ProblemParsingErrorHandler extends ParsingErrorHandler {

  @Override
  public HttpResponse handle(
      StatusCode status, ErrorInfo info, LoggingAdapter log, ServerSettings settings) {
    log.debug("refused an unparsable request ({}): {}", status.intValue(), info.formatPretty());
    return Problems.of(Problems.forStatus(status.intValue()), info.summary());
  }
}
