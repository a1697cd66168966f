package io.echolstm;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package structure of the production classes (tests excluded), as the bytecode has it: each
 * rule fails with the offending classes and dependencies named.
 */
class ArchitectureTest {
  private static JavaClasses production;

  @BeforeAll
  static void importProductionClasses() {
    production =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.echolstm");
  }

  @Test
  void packagesHaveNoCycles() {
    slices().matching("io.echolstm.(*)..").should().beFreeOfCycles().check(production);
  }

  @Test
  void evaluationAndPredictionDoNotDependOnTraining() {
    noClasses()
        .that()
        .resideInAnyPackage("io.echolstm.eval..", "io.echolstm.predict..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.echolstm.train..")
        .check(production);
  }

  /**
   * A system property is JVM-wide: only the entry point (a command, as it starts) may set one,
   * never a component as a side effect of its work.
   */
  @Test
  void onlyTheEntryPointSetsSystemProperties() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.echolstm.app..")
        .should()
        .callMethod(System.class, "setProperty", String.class, String.class)
        .orShould()
        .callMethod(System.class, "clearProperty", String.class)
        .orShould()
        .callMethod(System.class, "setProperties", java.util.Properties.class)
        .check(production);
  }

  @Test
  void theCodecSitsBelowItsUsers() {
    noClasses()
        .that()
        .resideInAPackage("io.echolstm.codec..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.echolstm.train..",
            "io.echolstm.eval..",
            "io.echolstm.predict..",
            "io.echolstm.sweep..",
            "io.echolstm.app..")
        .check(production);
  }
}
