package io.leadcredits;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The layout as rules the build checks: the rulebooks are pure, the packages form no cycle, and the
 * product never depends on the benchmark or its baselines (they plug in through ServiceLoader). It
 * runs in the benchmark's module, the one whose class path holds every module's classes.
 */
@AnalyzeClasses(
    packages = "io.leadcredits",
    importOptions = {ImportOption.DoNotIncludeTests.class, ArchitectureTest.NoTestJars.class})
class ArchitectureTest {

  @ArchTest
  static final ArchRule rulebooksArePure =
      noClasses()
          .that()
          .haveSimpleNameEndingWith("Rules")
          .or()
          .haveSimpleName("LeadDecision")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "org.apache.pekko..",
              "org.slf4j..",
              "com.typesafe.config..",
              "io.leadcredits.metrics..",
              "io.leadcredits.gauges..",
              "io.leadcredits.persistence..",
              "io.leadcredits.http..",
              "io.leadcredits.logging..",
              "io.leadcredits.engine..",
              "io.leadcredits.service..")
          .as("a rulebook decides from the state, the command, the time and the bounds alone");

  @ArchTest
  static final ArchRule packagesFormNoCycle =
      slices().matching("io.leadcredits.(*)..").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule theProductDoesNotDependOnTheBenchmark =
      noClasses()
          .that()
          .resideOutsideOfPackages("io.leadcredits.bench..", "io.leadcredits.baseline..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("io.leadcredits.bench..", "io.leadcredits.baseline..");

  /** Vert.x's OpenAPI validator judges answers for the tests; the service never needs it. */
  @ArchTest
  static final ArchRule onlyTheTestkitUsesVertx =
      noClasses()
          .that()
          .resideOutsideOfPackage("io.leadcredits.testkit..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("io.vertx..", "io.netty..");

  /** The service's test harness comes to this module as a jar of test classes: not the product. */
  static final class NoTestJars implements ImportOption {
    @Override
    public boolean includes(Location location) {
      return !location.contains("-tests.jar");
    }
  }
}
