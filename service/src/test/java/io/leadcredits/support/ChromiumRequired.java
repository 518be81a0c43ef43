package io.leadcredits.support;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Skips a browser test class, with the reason in the report, on a machine without Chromium and its
 * driver, before anything of the class starts. Use with {@code @ExtendWith}.
 */
public final class ChromiumRequired implements ExecutionCondition {
  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    String missing = Browser.missing();
    return missing == null
        ? ConditionEvaluationResult.enabled("chromium and chromedriver are installed")
        : ConditionEvaluationResult.disabled(missing);
  }
}
