package io.leadcredits.http;

import java.util.Objects;

/** One RFC 9457 problem: a stable code and a sentence for the human reading it. */
public record Problem(ProblemCode code, String detail) {

  public Problem {
    Objects.requireNonNull(code, "code");
    detail = detail == null || detail.isBlank() ? code.title() : detail;
  }
}
