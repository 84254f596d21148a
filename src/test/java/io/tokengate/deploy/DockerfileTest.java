package io.tokengate.deploy;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.tokengate.config.Config;
import io.tokengate.config.ConfigLoader;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** k8s/Dockerfile builds the jar in one stage and runs only that jar, unprivileged, in a JRE. */
class DockerfileTest {

  private static final Path FILE = K8sTree.ROOT.resolve("Dockerfile");
  private static final String JAR = "/app/tokengate.jar";
  private static final String ARCHIVE = "/app/tokengate.jsa";

  private final Dockerfile dockerfile = Dockerfile.parse(K8sTree.read(FILE));
  private final Dockerfile.Stage build = dockerfile.stages().get(0);
  private final Dockerfile.Stage run = dockerfile.finalStage();
  private final Deployment deployment = KubernetesObjects.named(K8sTree.resourcesOf(K8sTree.BASE), Deployment.class, "tokengate");

  @Test
  void buildsWithMavenInOneStageAndRunsInAnother() {
    assertTrue(dockerfile.stages().size() >= 2, "not a multi-stage build");
    assertTrue(build.image().startsWith("maven:"), build.image());
    assertNotNull(build.name(), "the build stage is named, for COPY --from");
  }

  @Test
  void runsOnAJreNoOlderThanTheReleaseItIsCompiledForAndBuildsWithTheSameJdk() {
    Matcher jre = Pattern.compile("eclipse-temurin:(\\d+)-jre").matcher(run.image());
    assertTrue(jre.matches(), run.image());
    int runtime = Integer.parseInt(jre.group(1));
    int release = Integer.parseInt(pomProperty("maven.compiler.release"));
    assertTrue(runtime >= release, "runs on Java " + runtime + " a jar compiled for " + release);
    assertTrue(build.image().endsWith("-" + runtime), build.image() + " builds with another JDK than the image runs");
  }

  @Test
  void runsAsTheNumericNonRootUserThePodsRunAs() {
    String user = run.last("USER").arguments();
    // Kubernetes' runAsNonRoot can only verify a numeric user.
    assertTrue(user.matches("\\d+(:\\d+)?"), "USER " + user + " is not numeric");
    long uid = Long.parseLong(user.split(":")[0]);
    assertNotEquals(0, uid);
    assertEquals(deployment.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsUser(), uid);
  }

  @Test
  void exposesTheConfiguredPorts() {
    Config defaults = ConfigLoader.load(null, Map.of());
    Set<Integer> exposed = run.all("EXPOSE").stream()
      .flatMap(instruction -> instruction.words().stream())
      .map(port -> Integer.parseInt(port.replace("/tcp", "")))
      .collect(Collectors.toSet());

    assertEquals(Set.of(defaults.http().port(), defaults.management().port()), exposed);
  }

  @Test
  void theFinalStageCopiesOnlyTheJarFromTheBuild() {
    assertEquals(List.of(), run.all("ADD"));
    List<Dockerfile.Instruction> copies = run.all("COPY");
    assertEquals(1, copies.size(), "the final stage copies one thing");
    assertEquals(List.of("--from=" + build.name(), "/build/target/tokengate.jar", JAR), copies.get(0).words());
    // The build stage's WORKDIR is where target/ is made, and the shade plugin names the jar.
    assertEquals("/build", build.last("WORKDIR").arguments());
    assertTrue(K8sTree.read(Path.of("pom.xml")).contains("<finalName>tokengate</finalName>"));
  }

  @Test
  void theBuildStageCopiesThePomBeforeTheSourcesAndNeverTheWholeContext() {
    List<Dockerfile.Instruction> instructions = build.instructions();
    List<String> copied = build.all("COPY").stream().map(copy -> copy.words().get(0)).toList();
    // No .dockerignore is read from k8s/: a COPY of the whole context would take target/, .git and local files along.
    assertEquals(List.of("pom.xml", "src", "config"), copied);

    int pom = instructions.indexOf(build.all("COPY").get(0));
    int goOffline = indexOf(instructions, "RUN", "dependency:go-offline");
    int sources = instructions.indexOf(build.all("COPY").get(1));
    int packageJar = indexOf(instructions, "RUN", "package");
    assertTrue(pom < goOffline && goOffline < sources && sources < packageJar,
      "dependencies are fetched in a layer that only pom.xml invalidates");
    assertTrue(instructions.get(packageJar).arguments().contains("-DskipTests"));
  }

  @Test
  void theEntrypointRunsTheJarTheManifestsRun() {
    assertEquals(List.of("java", "-XX:SharedArchiveFile=" + ARCHIVE, "-jar", JAR), run.last("ENTRYPOINT").execForm());
    List<String> cmd = run.last("CMD").execForm();
    assertEquals(List.of("serve"), cmd);
    assertEquals("/app", run.last("WORKDIR").arguments());

    List<String> imageCommand = new ArrayList<>(run.last("ENTRYPOINT").execForm());
    imageCommand.addAll(cmd);
    assertEquals(imageCommand, deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getCommand());
    assertEquals("serve", ManifestsMatchApplicationTest.subcommand(imageCommand));
  }

  @Test
  void theClassDataArchiveIsTrainedOnTheFinalImagesJarAndJvm() {
    List<Dockerfile.Instruction> instructions = run.instructions();
    int training = indexOf(instructions, "RUN", "-XX:ArchiveClassesAtExit=" + ARCHIVE);
    assertTrue(instructions.indexOf(run.all("COPY").get(0)) < training, "the archive is trained on the copied jar");
    assertTrue(instructions.get(training).arguments().contains("-jar " + JAR + " serve"));
    // Run as root before USER, and checked, so a failed training fails the build instead of shipping no archive.
    assertTrue(training < instructions.indexOf(run.last("USER")));
    assertTrue(instructions.get(training).arguments().contains("test -s " + ARCHIVE));
  }

  private static int indexOf(List<Dockerfile.Instruction> instructions, String keyword, String containing) {
    for (int i = 0; i < instructions.size(); i++) {
      if (instructions.get(i).keyword().equals(keyword) && instructions.get(i).arguments().contains(containing)) {
        return i;
      }
    }
    throw new AssertionError("no " + keyword + " with " + containing);
  }

  private static String pomProperty(String name) {
    Matcher matcher = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(K8sTree.read(Path.of("pom.xml")));
    assertTrue(matcher.find(), name + " is not in pom.xml");
    return matcher.group(1).trim();
  }
}
