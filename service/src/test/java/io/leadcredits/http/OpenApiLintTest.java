package io.leadcredits.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadcredits.support.Redocly;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenAPI document as an integrator's tools judge it: Redocly's CLI with its {@code
 * recommended} rules (servers, license, tag descriptions, operation ids, 4xx answers…) finds no
 * error and no warning. The document the service serves is this resource ({@code
 * OpenApiTest.theServiceServesTheDocument}).
 */
class OpenApiLintTest {
  @Test
  void redoclysRecommendedRulesFindNothing(@TempDir Path dir) throws IOException {
    Path document = dir.resolve("openapi.json");
    try (InputStream in = getClass().getClassLoader().getResourceAsStream("openapi.json")) {
      Files.copy(in, document);
    }
    Redocly.Lint lint = Redocly.lint(document);
    assertThat(lint.errors()).as(lint.report()).isZero();
    assertThat(lint.warnings()).as(lint.report()).isZero();
  }

  /** The linter is not a rubber stamp: a document without servers and license is an error. */
  @Test
  void redoclyReportsADocumentWithoutServers(@TempDir Path dir) throws IOException {
    Path document = dir.resolve("bare.json");
    Files.writeString(
        document,
        """
        {"openapi": "3.1.0", "info": {"title": "bare", "version": "1"},
         "paths": {"/x": {"get": {"responses": {"200": {"description": "ok"}}}}}}
        """);
    Redocly.Lint lint = Redocly.lint(document);
    assertThat(lint.errors()).as(lint.report()).isPositive();
  }
}
