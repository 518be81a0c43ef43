package io.leadcredits.support;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Skips a browser test class, with the reason in the report, on a machine without Chromium and its
 * driver, before anything of the class starts; under {@code CI=true} the class runs anyway and
 * fails, since CI must not pass a browser test it never ran. Use with {@code @ExtendWith}.
 */
public final class ChromiumRequired implements ExecutionCondition {
  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    String missing = Browser.missing();
    if (missing == null) {
      return ConditionEvaluationResult.enabled("chromium and chromedriver are installed");
    }
    if ("true".equals(System.getenv("CI"))) {
      return ConditionEvaluationResult.enabled("CI=true: run, and fail, although " + missing);
    }
    return ConditionEvaluationResult.disabled(missing);
  }
}
