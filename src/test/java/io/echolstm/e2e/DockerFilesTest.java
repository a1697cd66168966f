package io.echolstm.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
// SnakeYAML as shaded into org.nd4j:jackson (a dependency of the job): no YAML parser of its own
// on the test classpath, and no new dependency for one test.
import org.nd4j.shade.yaml.snakeyaml.Yaml;
import org.nd4j.shade.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * docker/Dockerfile and docker/compose.yaml against the project, with no Docker engine: every path
 * they name exists here (build context, Dockerfile, COPY sources, the scripts and config files the
 * commands run), the image's Spark and Scala versions are the pom's, the cluster is a master, two
 * workers and a submit service that all agree on the master URL, and the results directory the
 * sweep writes is one volume mounted in the driver and in every worker. The last tests break each
 * check on purpose to show it can fail.
 */
class DockerFilesTest {
  private static final Path ROOT = Paths.get("").toAbsolutePath();
  private static final Path DOCKER = ROOT.resolve("docker");

  /** The project files the checks read, as text, so a test can hand them in altered. */
  record Inputs(String compose, String dockerfile, String dockerignore, String pom, String conf) {
    static Inputs read() throws IOException {
      return new Inputs(
          Files.readString(DOCKER.resolve("compose.yaml")),
          Files.readString(DOCKER.resolve("Dockerfile")),
          Files.readString(DOCKER.resolve("Dockerfile.dockerignore")),
          Files.readString(ROOT.resolve("pom.xml")),
          Files.readString(ROOT.resolve("conf/spark-cluster.conf")));
    }
  }

  @Test
  void dockerFilesMatchTheProject() throws IOException {
    assertEquals(List.of(), problems(Inputs.read()));
  }

  // ---- each check can fail -------------------------------------------------------------------

  @Test
  void aMissingCopySourceIsReported() throws IOException {
    assertProblem(inDockerfile("COPY conf conf", "COPY confs conf"), "COPY source confs");
  }

  @Test
  void aCopySourceTheDockerignoreDropsIsReported() throws IOException {
    assertProblem(
        f ->
            new Inputs(
                f.compose(),
                f.dockerfile(),
                f.dockerignore().replace("!conf/", ""),
                f.pom(),
                f.conf()),
        "excluded by docker/Dockerfile.dockerignore: conf");
  }

  @Test
  void aJarOtherThanThePomsIsReported() throws IOException {
    assertProblem(
        inDockerfile("echo-lstm-0.1.0-SNAPSHOT.jar", "echo-lstm.jar"), "target/echo-lstm.jar");
  }

  @Test
  void aSparkVersionOtherThanThePomsIsReported() throws IOException {
    assertProblem(
        inDockerfile("ARG SPARK_VERSION=3.5.7", "ARG SPARK_VERSION=3.4.1"), "SPARK_VERSION 3.4.1");
    assertProblem(
        inDockerfile("SCALA_BINARY_VERSION=2.12", "SCALA_BINARY_VERSION=2.13"),
        "SCALA_BINARY_VERSION 2.13");
  }

  @Test
  void aMissingBuildContextOrDockerfileIsReported() throws IOException {
    assertProblem(
        inCompose("dockerfile: docker/Dockerfile", "dockerfile: Dockerfile"), "dockerfile");
    assertProblem(inCompose("context: ..", "context: ../.."), "context");
  }

  @Test
  void aMissingScriptIsReported() throws IOException {
    assertProblem(inCompose("\"scripts/run.sh\"", "\"scripts/sweep.sh\""), "scripts/sweep.sh");
  }

  @Test
  void aMissingConfFileIsReported() throws IOException {
    assertProblem(
        f ->
            with(
                f,
                null,
                f.compose()
                    .replace(
                        "\"sweep\", \"--results\"",
                        "\"sweep\", \"--conf\", \"conf/nope.properties\", \"--results\"")),
        "conf/nope.properties");
  }

  @Test
  void servicesOtherThanMasterTwoWorkersAndSubmitAreReported() throws IOException {
    assertProblem(inCompose("  worker-2:\n", "  worker-3:\n"), "services");
  }

  @Test
  void aSubmitMasterUrlOtherThanTheMastersIsReported() throws IOException {
    assertProblem(
        inCompose("MASTER: spark://master:7077", "MASTER: spark://master:7078"), "submit's MASTER");
    assertProblem(inCompose("MASTER: spark://master:7077", "MASTER: local[*]"), "submit's MASTER");
  }

  @Test
  void aDriverHostOtherThanTheSubmitServiceIsReported() throws IOException {
    assertProblem(
        inCompose("spark.driver.host=submit", "spark.driver.host=driver"), "spark.driver.host");
    assertProblem(inCompose("      - worker-2\n", "      - worker2\n"), "worker-2 --host worker2");
  }

  @Test
  void aWorkerOfAnotherMasterIsReported() throws IOException {
    assertProblem(
        f ->
            with(
                f,
                null,
                f.compose().replaceFirst("- spark://master:7077", "- spark://spark-master:7077")),
        "worker-1 registers with spark://spark-master:7077");
  }

  @Test
  void aResultsDirectoryNotSharedByEveryWorkerIsReported() throws IOException {
    assertProblem(
        f ->
            with(
                f,
                null,
                f.compose().replaceFirst("volumes:\n      - results:/opt/echo-lstm/results\n", "")),
        "worker-1 does not mount /opt/echo-lstm/results");
    assertProblem(
        f ->
            with(
                f,
                null,
                f.compose()
                    .replace(
                        "\"--results\", \"/opt/echo-lstm/results\"",
                        "\"--results\", \"/opt/echo-lstm/out\"")),
        "/opt/echo-lstm/out");
  }

  @Test
  void anEventLogDirectoryNotOnAVolumeIsReported() throws IOException {
    assertProblem(
        f ->
            new Inputs(
                f.compose(),
                f.dockerfile(),
                f.dockerignore(),
                f.pom(),
                f.conf().replace("file:/tmp/spark-events", "file:/var/spark-events")),
        "/var/spark-events");
  }

  @Test
  void executorsWithoutOneOpenMpThreadAreReported() throws IOException {
    assertProblem(
        f ->
            new Inputs(
                f.compose(),
                f.dockerfile(),
                f.dockerignore(),
                f.pom(),
                f.conf().replace("spark.executorEnv.OMP_NUM_THREADS 1", "")),
        "OMP_NUM_THREADS");
  }

  private static Inputs with(Inputs f, String dockerfile, String compose) {
    return new Inputs(
        compose == null ? f.compose() : compose,
        dockerfile == null ? f.dockerfile() : dockerfile,
        f.dockerignore(),
        f.pom(),
        f.conf());
  }

  /** An edit of the compose file: every {@code from} replaced by {@code to}. */
  private static UnaryOperator<Inputs> inCompose(String from, String to) {
    return f -> with(f, null, f.compose().replace(from, to));
  }

  /** An edit of the Dockerfile: every {@code from} replaced by {@code to}. */
  private static UnaryOperator<Inputs> inDockerfile(String from, String to) {
    return f -> with(f, f.dockerfile().replace(from, to), null);
  }

  private static void assertProblem(UnaryOperator<Inputs> breakIt, String expected)
      throws IOException {
    Inputs real = Inputs.read();
    Inputs broken = breakIt.apply(real);
    assertTrue(!broken.equals(real), "the edit changed nothing; the test is stale");
    List<String> problems = problems(broken);
    assertTrue(
        problems.stream().anyMatch(p -> p.contains(expected)),
        "expected a problem mentioning '" + expected + "', got " + problems);
  }

  // ---- the checks ----------------------------------------------------------------------------

  private static final String MASTER_CLASS = "org.apache.spark.deploy.master.Master";
  private static final String WORKER_CLASS = "org.apache.spark.deploy.worker.Worker";

  /** Everything wrong with the Docker files, as one message per problem. */
  static List<String> problems(Inputs f) {
    List<String> problems = new ArrayList<>();
    Map<String, String> pom = pomProperties(f.pom());
    Dockerfile image = Dockerfile.parse(f.dockerfile());

    // The image: its Spark is the pom's, its jar is the one the pom builds.
    checkEqual(
        problems,
        "Dockerfile ARG SPARK_VERSION",
        image.args().get("SPARK_VERSION"),
        pom.get("spark.version"));
    checkEqual(
        problems,
        "Dockerfile ARG SCALA_BINARY_VERSION",
        image.args().get("SCALA_BINARY_VERSION"),
        pom.get("scala.binary.version"));
    String jar = "target/" + pom.get("artifactId") + "-" + pom.get("version") + ".jar";
    List<String> ignore =
        f.dockerignore()
            .lines()
            .map(String::strip)
            .filter(l -> !l.isEmpty() && !l.startsWith("#"))
            .toList();
    for (Copy c : image.copies()) {
      for (String src : c.sources()) {
        if (c.from() == null) {
          if (!Files.exists(ROOT.resolve(src))) {
            problems.add("Dockerfile COPY source " + src + " does not exist in the project");
          }
          if (!keptByDockerignore(ignore, src)) {
            problems.add(
                "Dockerfile COPY source is excluded by docker/Dockerfile.dockerignore: " + src);
          }
        } else {
          // From the build stage: a file that stage copied in, or the jar `mvn package` made.
          String rel = image.projectPathInStage(c.from(), src);
          if (rel == null) {
            problems.add(
                "Dockerfile COPY --from="
                    + c.from()
                    + " "
                    + src
                    + ": neither copied into that stage nor built there by mvn package");
          } else if (rel.startsWith("target/") && !rel.equals(jar)) {
            problems.add(
                "Dockerfile COPY --from="
                    + c.from()
                    + " "
                    + src
                    + ": "
                    + rel
                    + " is not the jar pom.xml builds, "
                    + jar);
          } else if (!rel.startsWith("target/") && !Files.exists(ROOT.resolve(rel))) {
            problems.add(
                "Dockerfile COPY --from="
                    + c.from()
                    + " "
                    + src
                    + ": "
                    + rel
                    + " does not exist in the project");
          }
        }
      }
    }
    if (image.containerToProject("/opt/echo-lstm/" + jar) == null) {
      problems.add("the image has no " + jar + " at /opt/echo-lstm/" + jar);
    }

    // The compose file.
    Map<String, Object> compose = asMap(new Yaml(new SafeConstructor()).load(f.compose()));
    Map<String, Object> services = asMap(compose.get("services"));
    if (!services.keySet().equals(java.util.Set.of("master", "worker-1", "worker-2", "submit"))) {
      problems.add(
          "services are " + services.keySet() + ", not master, worker-1, worker-2, submit");
      return problems;
    }
    for (Map.Entry<String, Object> e : services.entrySet()) {
      Map<String, Object> s = asMap(e.getValue());
      Map<String, Object> build = asMap(s.get("build"));
      Path context = DOCKER.resolve(String.valueOf(build.get("context"))).normalize();
      if (!context.equals(ROOT)) {
        problems.add(
            e.getKey() + ": build context " + build.get("context") + " is not the project root");
      }
      Path dockerfile = context.resolve(String.valueOf(build.get("dockerfile"))).normalize();
      if (!dockerfile.equals(DOCKER.resolve("Dockerfile"))) {
        problems.add(
            e.getKey() + ": dockerfile " + build.get("dockerfile") + " is not docker/Dockerfile");
      }
      if (!"/opt/echo-lstm".equals(s.get("working_dir"))) {
        problems.add(e.getKey() + ": working_dir " + s.get("working_dir"));
      }
    }

    // The master, and the URL it serves.
    List<String> master = command(services, "master");
    String masterUrl = null;
    if (!master.contains(MASTER_CLASS)) {
      problems.add("master does not run " + MASTER_CLASS + ": " + master);
    } else {
      masterUrl = "spark://" + option(master, "--host") + ":" + option(master, "--port");
      checkEqual(
          problems,
          "master --host (other containers reach it by service name)",
          option(master, "--host"),
          "master");
    }
    checkSparkHomeCommand(problems, "master", master);

    // Workers: registered with that master, sharing the results volume.
    List<String> submit = command(services, "submit");
    String resultsDir = option(submit, "--results");
    for (String w : List.of("worker-1", "worker-2")) {
      List<String> cmd = command(services, w);
      if (!cmd.contains(WORKER_CLASS)) {
        problems.add(w + " does not run " + WORKER_CLASS + ": " + cmd);
      }
      checkSparkHomeCommand(problems, w, cmd);
      String url = cmd.isEmpty() ? null : cmd.get(cmd.size() - 1);
      if (masterUrl != null && !masterUrl.equals(url)) {
        problems.add(w + " registers with " + url + ", the master serves " + masterUrl);
      }
      if (!mounts(services, w).containsKey(resultsDir)) {
        problems.add(w + " does not mount " + resultsDir + " (its executors write the table)");
      }
    }

    // Submit: the job's own script, on that master, into the results volume.
    Map<String, Object> env = asMap(asMap(services.get("submit")).get("environment"));
    String submitMaster = env.get("MASTER") == null ? null : String.valueOf(env.get("MASTER"));
    if (masterUrl != null && !masterUrl.equals(submitMaster)) {
      problems.add("submit's MASTER is " + submitMaster + ", the master serves " + masterUrl);
    }
    // Executors connect back to the driver, and the driver to the executors, by service name.
    Matcher driverHost =
        Pattern.compile("spark\\.driver\\.host=(\\S+)")
            .matcher(String.valueOf(env.get("SPARK_SUBMIT_ARGS")));
    if (!driverHost.find() || !driverHost.group(1).equals("submit")) {
      problems.add("submit's spark.driver.host is not its service name, submit: " + env);
    }
    for (String w : List.of("worker-1", "worker-2")) {
      checkEqual(problems, w + " --host", option(command(services, w), "--host"), w);
    }
    if (submit.isEmpty() || !submit.get(0).endsWith(".sh")) {
      problems.add("submit does not run a script of the project: " + submit);
    }
    for (String arg : submit) {
      // Every file the command names (the script itself, --conf files) is in the image and here.
      if (arg.startsWith("scripts/") || arg.startsWith("conf/")) {
        String rel = image.containerToProject(image.workdir() + "/" + arg);
        if (rel == null) {
          problems.add("submit runs " + arg + ", which the image does not copy in");
        } else if (!Files.exists(ROOT.resolve(rel))) {
          problems.add(
              "submit runs " + arg + ", which does not exist in the project (" + rel + ")");
        }
      }
    }
    Map<String, String> submitMounts = mounts(services, "submit");
    if (resultsDir == null) {
      problems.add("submit names no --results directory: " + submit);
    } else {
      if (!submitMounts.containsKey(resultsDir)) {
        problems.add("submit's --results " + resultsDir + " is not a volume of submit");
      }
      if (!image.createdDirs().contains(resultsDir)) {
        problems.add(
            "the Dockerfile does not create "
                + resultsDir
                + " (a named volume takes its owner from it)");
      }
      String volume = submitMounts.get(resultsDir);
      for (String w : List.of("worker-1", "worker-2")) {
        String wv = mounts(services, w).get(resultsDir);
        if (wv != null && !wv.equals(volume)) {
          problems.add(w + " mounts volume " + wv + " at " + resultsDir + ", submit " + volume);
        }
      }
    }

    // The cluster profile run.sh adds for this master: executors on one OpenMP thread, and an
    // event log on a volume (Spark does not create the directory; the image does).
    Properties conf = new Properties();
    try {
      conf.load(new StringReader(f.conf()));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    checkEqual(
        problems,
        "conf/spark-cluster.conf spark.executorEnv.OMP_NUM_THREADS",
        conf.getProperty("spark.executorEnv.OMP_NUM_THREADS"),
        "1");
    if (Boolean.parseBoolean(conf.getProperty("spark.eventLog.enabled"))) {
      String dir = conf.getProperty("spark.eventLog.dir", "").replaceFirst("^file:", "");
      if (!submitMounts.containsKey(dir)) {
        problems.add(
            "the event log dir "
                + dir
                + " of conf/spark-cluster.conf is not a volume of"
                + " submit");
      }
      if (!image.createdDirs().contains(dir)) {
        problems.add("the Dockerfile does not create the event log dir " + dir);
      }
    }
    for (String name : asMap(compose.get("volumes")).keySet()) {
      boolean used =
          services.keySet().stream().anyMatch(s -> mounts(services, s).containsValue(name));
      if (!used) {
        problems.add("volume " + name + " is mounted by no service");
      }
    }
    return problems;
  }

  /** Master and workers run Spark's own launcher from the base image's SPARK_HOME. */
  private static void checkSparkHomeCommand(
      List<String> problems, String service, List<String> cmd) {
    if (cmd.isEmpty() || !cmd.get(0).equals("/opt/spark/bin/spark-class")) {
      problems.add(service + " does not start with /opt/spark/bin/spark-class: " + cmd);
    }
  }

  private static void checkEqual(
      List<String> problems, String what, String actual, String expected) {
    if (expected == null || !expected.equals(actual)) {
      problems.add(what + " " + actual + " is not " + expected);
    }
  }

  /** Docker's rule: the last pattern that matches a path or one of its parents decides. */
  static boolean keptByDockerignore(List<String> patterns, String path) {
    String p = path.replaceAll("/+$", "");
    boolean kept = true;
    for (String raw : patterns) {
      boolean negate = raw.startsWith("!");
      String pattern = (negate ? raw.substring(1) : raw).replaceAll("/+$", "");
      Pattern glob = Pattern.compile(pattern.replace(".", "\\.").replace("*", "[^/]*"));
      for (String prefix = p; prefix != null; prefix = parent(prefix)) {
        if (glob.matcher(prefix).matches()) {
          kept = negate;
          break;
        }
      }
    }
    return kept;
  }

  private static String parent(String path) {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? null : path.substring(0, slash);
  }

  private static List<String> command(Map<String, Object> services, String service) {
    Object cmd = asMap(services.get(service)).get("command");
    if (!(cmd instanceof List<?> list)) {
      return List.of();
    }
    return list.stream().map(String::valueOf).toList();
  }

  /** A service's volumes, container path to volume name (or host path). */
  private static Map<String, String> mounts(Map<String, Object> services, String service) {
    Map<String, String> out = new LinkedHashMap<>();
    Object volumes = asMap(services.get(service)).get("volumes");
    if (volumes instanceof List<?> list) {
      for (Object v : list) {
        String[] parts = String.valueOf(v).split(":");
        if (parts.length >= 2) {
          out.put(parts[1], parts[0]);
        }
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
  private static Map<String, Object> asMap(Object o) {
    return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  /** artifactId, version and the properties of pom.xml (the project's own, not the parent's). */
  static Map<String, String> pomProperties(String pom) {
    Map<String, String> out = new LinkedHashMap<>();
    String head = pom.substring(0, pom.indexOf("<dependencies>"));
    for (String tag : List.of("artifactId", "version")) {
      Matcher m = Pattern.compile("<" + tag + ">([^<]+)</" + tag + ">").matcher(head);
      if (m.find()) {
        out.put(tag, m.group(1).strip());
      }
    }
    Matcher props = Pattern.compile("(?s)<properties>(.*?)</properties>").matcher(pom);
    if (props.find()) {
      Matcher p = Pattern.compile("<([\\w.]+)>([^<]*)</\\1>").matcher(props.group(1));
      while (p.find()) {
        out.put(p.group(1), p.group(2).strip());
      }
    }
    return out;
  }

  /** A COPY instruction: its sources, and its --from stage (null: the build context). */
  record Copy(int stage, String from, List<String> sources, String dest, String workdir) {}

  /**
   * The parts of a Dockerfile the checks need: ARG defaults, stages, WORKDIRs, COPYs and the
   * directories its RUNs create with {@code mkdir -p}.
   */
  record Dockerfile(
      Map<String, String> args,
      List<String> stageNames,
      List<Copy> copies,
      List<String> createdDirs,
      java.util.Set<Integer> mavenStages,
      String workdir) {

    static Dockerfile parse(String text) {
      Map<String, String> args = new LinkedHashMap<>();
      List<String> stages = new ArrayList<>();
      List<Copy> copies = new ArrayList<>();
      List<String> created = new ArrayList<>();
      java.util.Set<Integer> maven = new java.util.HashSet<>();
      String workdir = "/";
      String joined = text.replaceAll("\\\\\\r?\\n", " ");
      for (String line : joined.lines().map(String::strip).toList()) {
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        String[] words = line.split("\\s+");
        String op = words[0].toUpperCase(java.util.Locale.ROOT);
        switch (op) {
          case "ARG" -> {
            String[] kv = words[1].split("=", 2);
            if (stages.isEmpty() && kv.length == 2) {
              args.put(kv[0], kv[1]);
            }
          }
          case "FROM" -> {
            stages.add(words.length >= 4 && words[2].equalsIgnoreCase("AS") ? words[3] : "");
            workdir = "/";
          }
          case "WORKDIR" ->
              workdir = words[1].startsWith("/") ? words[1] : workdir + "/" + words[1];
          case "COPY" -> {
            String from = null;
            List<String> rest = new ArrayList<>();
            for (int i = 1; i < words.length; i++) {
              if (words[i].startsWith("--from=")) {
                from = words[i].substring("--from=".length());
              } else if (!words[i].startsWith("--")) {
                rest.add(words[i]);
              }
            }
            copies.add(
                new Copy(
                    stages.size() - 1,
                    from,
                    rest.subList(0, rest.size() - 1),
                    rest.get(rest.size() - 1),
                    workdir));
          }
          case "RUN" -> {
            if (line.matches(".*\\bmvn\\b.*\\bpackage\\b.*")) {
              maven.add(stages.size() - 1);
            }
            Matcher m = Pattern.compile("mkdir -p ((?:/[^\\s&;]+\\s*)+)").matcher(line);
            while (m.find()) {
              created.addAll(List.of(m.group(1).strip().split("\\s+")));
            }
          }
          default -> {}
        }
      }
      return new Dockerfile(args, stages, copies, created, maven, workdir);
    }

    /** Where a COPY puts a source, as an absolute container path. */
    private static String target(Copy c, String src) {
      String dest = c.dest().startsWith("/") ? c.dest() : c.workdir() + "/" + c.dest();
      dest = dest.replaceAll("/\\./?$", "/").replaceAll("/+", "/");
      String name = src.replaceAll("/+$", "");
      return dest.endsWith("/") ? dest + name.substring(name.lastIndexOf('/') + 1) : dest;
    }

    /** The project path a container path of the final stage comes from, or null. */
    String containerToProject(String path) {
      return resolve(stageNames.size() - 1, normalize(path));
    }

    /** The project path behind a path of a named stage (or the jar Maven builds there). */
    String projectPathInStage(String stage, String path) {
      int s = stageNames.indexOf(stage);
      return s < 0 ? null : resolve(s, normalize(path));
    }

    private String resolve(int stage, String path) {
      for (int i = copies.size() - 1; i >= 0; i--) {
        Copy c = copies.get(i);
        if (c.stage() != stage) {
          continue;
        }
        for (String src : c.sources()) {
          String to = target(c, src);
          if (path.equals(to) || path.startsWith(to + "/")) {
            String rest = path.substring(to.length());
            String origin = src.replaceAll("/+$", "") + rest;
            return c.from() == null ? origin : projectPathInStage(c.from(), origin);
          }
        }
      }
      // What `mvn package` leaves next to the pom.xml it builds, in a stage that runs it.
      Matcher jar = Pattern.compile("(.*)/(target/[^/]+\\.jar)").matcher(path);
      if (mavenStages.contains(stage)
          && jar.matches()
          && resolve(stage, jar.group(1) + "/pom.xml") != null) {
        return jar.group(2);
      }
      return null;
    }

    private static String normalize(String path) {
      return Path.of(path).normalize().toString();
    }
  }
}
