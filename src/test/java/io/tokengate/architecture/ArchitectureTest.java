package io.tokengate.architecture;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** The layering rules of docs/architecture.md, checked on the compiled classes. */
class ArchitectureTest {

  private static final JavaClasses CLASSES = new ClassFileImporter()
    .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
    .importPackages("io.tokengate");

  /** Each first-level package is a slice, and the root package (the composition root) one more. */
  private static final SliceAssignment PACKAGES = new SliceAssignment() {
    @Override
    public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
      String name = javaClass.getPackageName();
      if (!name.startsWith("io.tokengate")) {
        return SliceIdentifier.ignore();
      }
      String rest = name.equals("io.tokengate") ? "(root)" : name.substring("io.tokengate.".length());
      return SliceIdentifier.of(rest.contains(".") ? rest.substring(0, rest.indexOf('.')) : rest);
    }

    @Override
    public String getDescription() {
      return "first-level packages of io.tokengate";
    }
  };

  @Test
  void packagesHaveNoCycles() {
    slices().assignedFrom(PACKAGES).should().beFreeOfCycles().check(CLASSES);
  }

  @Test
  void requestPolicyNeverTouchesTheSqlClient() {
    noClasses().that().resideInAnyPackage("io.tokengate.grant..", "io.tokengate.claims..", "io.tokengate.client..", "io.tokengate.user..",
        "io.tokengate.usage..", "io.tokengate.oauth..", "io.tokengate.dpop..", "io.tokengate.http..", "io.tokengate.tls..",
        "io.tokengate.crypto..", "io.tokengate.token..",
        "io.tokengate.logging..", "io.tokengate.metrics..")
      .should().dependOnClassesThat().resideInAnyPackage("io.vertx.sqlclient..", "io.vertx.pgclient..")
      .check(CLASSES);
  }

  @Test
  void policyReachesStorageOnlyThroughItsPorts() {
    noClasses().that().resideInAnyPackage("io.tokengate.grant..", "io.tokengate.claims..", "io.tokengate.client..", "io.tokengate.user..",
        "io.tokengate.usage..", "io.tokengate.oauth..",
        "io.tokengate.dpop..", "io.tokengate.tls..", "io.tokengate.token..")
      .should().dependOnClassesThat().resideInAPackage("io.tokengate.store..")
      .check(CLASSES);
  }

  @Test
  void onlyTheCompositionRootAndTheCommandLineStartTheGateway() {
    noClasses().that().resideOutsideOfPackages("io.tokengate", "io.tokengate.cli..")
      .should().dependOnClassesThat().resideInAPackage("io.tokengate")
      .check(CLASSES);
  }

  @Test
  void cryptoAndConfigurationDependOnNoPolicy() {
    noClasses().that().resideInAnyPackage("io.tokengate.crypto..", "io.tokengate.config..")
      .should().dependOnClassesThat().resideInAnyPackage("io.tokengate.grant..", "io.tokengate.http..",
        "io.tokengate.client..", "io.tokengate.user..", "io.tokengate.token..", "io.tokengate.store..",
        "io.tokengate.cli..")
      .check(CLASSES);
  }
}
