package io.echolstm.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * docker/Dockerfile and docker/compose.yaml against the project, as a reviewer would read them (no
 * Docker engine here): the image builds the jar the pom builds and carries what the job needs, on
 * the pom's Spark; the compose file's cluster agrees on the master, and its driver runs the
 * project's script into a results volume every worker shares; the READMEs' commands name this file
 * and its services.
 */
class DockerFilesTest {
  private static final Path ROOT = SweepProcess.ROOT;
  private static final String HOME = "/opt/echo-lstm";
  private static final String MASTER_URL = "spark://master:7077";
  private static final List<String> WORKERS = List.of("worker-1", "worker-2");

  /** The Dockerfile's stages, each its instructions, continuation lines joined and comments out. */
  private static List<List<String>> stages;

  private static Map<String, Object> services;
  private static Pom pom;

  @BeforeAll
  static void read() throws Exception {
    pom = Pom.read();
    stages = new ArrayList<>();
    String dockerfile = Files.readString(ROOT.resolve("docker/Dockerfile"));
    for (String line : dockerfile.replaceAll("\\\\\\n", " ").lines().toList()) {
      String instruction = line.strip().replaceAll("\\s+", " ");
      if (instruction.startsWith("FROM ")) {
        stages.add(new ArrayList<>());
      }
      if (!instruction.isEmpty() && !instruction.startsWith("#") && !stages.isEmpty()) {
        stages.get(stages.size() - 1).add(instruction);
      }
    }
    Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
    Map<String, Object> compose =
        map(yaml.load(Files.readString(ROOT.resolve("docker/compose.yaml"))));
    services = map(compose.get("services"));
  }

  @Test
  void theImageRunsThePomsSparkAndScala() throws IOException {
    String text = Files.readString(ROOT.resolve("docker/Dockerfile"));
    assertTrue(text.contains("ARG SPARK_VERSION=" + pom.property("spark.version") + "\n"), text);
    assertTrue(
        text.contains("ARG SCALA_BINARY_VERSION=" + pom.property("scala.binary.version") + "\n"),
        text);
    assertEquals(
        "FROM apache/spark:${SPARK_VERSION}-scala${SCALA_BINARY_VERSION}-java17-ubuntu",
        runtime().get(0));
  }

  @Test
  void theImageBuildsTheJarAndCarriesWhatTheJobNeeds() throws IOException {
    List<String> build = stages.get(0);
    assertEquals(2, stages.size(), "a build stage and the runtime: " + stages);
    assertTrue(build.get(0).endsWith(" AS build"), build.get(0));
    for (String copy : List.of("COPY pom.xml ./", "COPY .mvn .mvn", "COPY src/main src/main")) {
      assertTrue(build.contains(copy), "build stage lacks " + copy + ": " + build);
    }
    assertTrue(
        build.stream().anyMatch(i -> i.matches("RUN .*\\bmvn -B -ntp -DskipTests package\\b.*")),
        "the build stage builds the jar: " + build);

    // run.sh runs from /opt/echo-lstm: its scripts, conf/, the jar it names from pom.xml.
    List<String> runtime = runtime();
    assertTrue(runtime.contains("WORKDIR " + HOME), runtime.toString());
    for (String copy :
        List.of(
            "COPY conf conf",
            "COPY scripts scripts",
            "COPY --from=build /src/pom.xml ./",
            "COPY --from=build /src/" + pom.jar() + " target/")) {
      assertTrue(runtime.contains(copy), "the image lacks " + copy + ": " + runtime);
    }

    // Every source copied from the build context exists and is sent by the context filter, whose
    // rule is "nothing but what is listed".
    List<String> sent = Files.readAllLines(ROOT.resolve("docker/Dockerfile.dockerignore"));
    assertTrue(sent.contains("*"), "the context filter starts from nothing: " + sent);
    for (List<String> stage : stages) {
      for (String i : stage) {
        if (i.startsWith("COPY ") && !i.contains("--from=")) {
          String[] words = i.split(" ");
          String source = words[1];
          assertTrue(Files.exists(ROOT.resolve(source)), i + ": no " + source + " in the project");
          assertTrue(
              sent.contains("!" + source.replaceAll("/$", "")) || sent.contains("!" + source + "/"),
              i + ": " + source + " is not sent by docker/Dockerfile.dockerignore");
        }
      }
    }
  }

  @Test
  void composeRunsAMasterTwoWorkersAndTheDriverFromThisImage() {
    assertEquals(Set.of("master", "worker-1", "worker-2", "submit"), services.keySet());
    for (String name : services.keySet()) {
      Map<String, Object> service = map(services.get(name));
      Map<String, Object> build = map(service.get("build"));
      Path context = ROOT.resolve("docker").resolve(String.valueOf(build.get("context")));
      assertEquals(ROOT, context.normalize(), name + " builds from the project root");
      assertEquals(
          ROOT.resolve("docker/Dockerfile"),
          context.resolve(String.valueOf(build.get("dockerfile"))).normalize(),
          name);
      assertEquals(HOME, service.get("working_dir"), name);
    }
  }

  @Test
  void everyServiceUsesTheMastersUrlAndName() {
    List<String> master = command("master");
    assertEquals("/opt/spark/bin/spark-class", master.get(0));
    assertTrue(master.contains("org.apache.spark.deploy.master.Master"), master.toString());
    assertEquals(
        MASTER_URL, "spark://" + option(master, "--host") + ":" + option(master, "--port"));
    for (String worker : WORKERS) {
      List<String> cmd = command(worker);
      assertEquals("/opt/spark/bin/spark-class", cmd.get(0));
      assertTrue(cmd.contains("org.apache.spark.deploy.worker.Worker"), cmd.toString());
      assertEquals(worker, option(cmd, "--host"), "reached by its service name");
      assertEquals(MASTER_URL, cmd.get(cmd.size() - 1), worker + " registers with the master");
    }
    Map<String, Object> env = map(map(services.get("submit")).get("environment"));
    assertEquals(MASTER_URL, env.get("MASTER"));
    // Executors connect back to the driver by its service name.
    assertTrue(
        String.valueOf(env.get("SPARK_SUBMIT_ARGS")).contains("--conf spark.driver.host=submit "),
        env.toString());
  }

  @Test
  void theDriverRunsTheSweepIntoAVolumeEveryWorkerShares() throws IOException {
    List<String> submit = command("submit");
    assertEquals(List.of("scripts/run.sh", "sweep", "--results"), submit.subList(0, 3));
    assertTrue(Files.isExecutable(ROOT.resolve(submit.get(0))));
    String results = option(submit, "--results");
    String created = String.join("\n", runtime());

    String volume = mounts("submit").get(results);
    assertTrue(volume != null && !volume.startsWith("/"), "submit's results are a named volume");
    for (String worker : WORKERS) {
      assertEquals(volume, mounts(worker).get(results), worker + " writes the same table");
    }
    assertTrue(created.contains("mkdir -p " + results + " "), "a named volume takes its owner");

    // The cluster profile run.sh adds for this master logs events to a directory Spark does not
    // create: a volume of the driver, created in the image.
    Properties conf = new Properties();
    conf.load(new StringReader(Files.readString(ROOT.resolve("conf/spark-cluster.conf"))));
    String eventLog = conf.getProperty("spark.eventLog.dir").replaceFirst("^file:", "");
    assertTrue(mounts("submit").containsKey(eventLog), mounts("submit").toString());
    assertTrue(created.contains(" " + eventLog), "the image creates " + eventLog);
  }

  @Test
  void theReadmesRunThisComposeFileAndItsServices() throws IOException {
    Pattern compose = Pattern.compile("docker compose -f (\\S+)([^\\n`]*)");
    Pattern service = Pattern.compile("(?:--exit-code-from|run --rm(?: -p \\S+)?|cp) (\\w[\\w-]*)");
    int commands = 0;
    for (String readme : List.of("README.md", "docker/README.md")) {
      Matcher m = compose.matcher(Files.readString(ROOT.resolve(readme)));
      while (m.find()) {
        commands++;
        assertEquals("docker/compose.yaml", m.group(1), readme + ": " + m.group());
        Matcher s = service.matcher(m.group(2));
        while (s.find()) {
          assertTrue(services.containsKey(s.group(1)), readme + " names " + s.group(1));
        }
      }
    }
    assertFalse(commands == 0, "the READMEs show how to run it");
  }

  private static List<String> runtime() {
    return stages.get(stages.size() - 1);
  }

  private static List<String> command(String service) {
    Object cmd = map(services.get(service)).get("command");
    return cmd instanceof List<?> list ? list.stream().map(String::valueOf).toList() : List.of();
  }

  /** A service's volumes: container path to volume name (or host path). */
  private static Map<String, String> mounts(String service) {
    Map<String, String> out = new LinkedHashMap<>();
    Object volumes = map(services.get(service)).get("volumes");
    if (volumes instanceof List<?> list) {
      for (Object v : list) {
        String[] parts = String.valueOf(v).split(":");
        out.put(parts[1], parts[0]);
      }
    }
    return out;
  }

  /** The value after an option in a command, or null. */
  private static String option(List<String> cmd, String name) {
    int i = cmd.indexOf(name);
    return i < 0 || i + 1 >= cmd.size() ? null : cmd.get(i + 1);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }
}
