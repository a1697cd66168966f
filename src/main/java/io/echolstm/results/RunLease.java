package io.echolstm.results;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.echolstm.files.FileRefusedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one driver allowed to write a run: a lease file ({@value #FILE}) in the run's {@code
 * run_id=R} directory naming its owner (host, pid, start) and renewed by a heartbeat thread while
 * the owner runs.
 *
 * <p>Another driver is refused while the lease is live. It takes the lease over once the lease is
 * stale: no heartbeat for {@link Timing#staleAfter()}, or, on the owner's own host (and process
 * namespace), as soon as the owner's process is gone - so a rerun after a crash on the same machine
 * starts at once. Staleness by heartbeat compares the owner's clock with the reader's: drivers on
 * different hosts need clocks in step to well under {@code staleAfter}.
 *
 * <p>Taking is write-then-confirm: the taker writes its claim, waits {@link Timing#settle()} and
 * reads the file back; of two drivers taking at the same moment, only the one whose claim is still
 * there keeps it. The owner checks the file before every renewal: if another driver has taken it
 * over (the owner looked stale, e.g. a long pause), the lease is lost and {@link #ensureHeld()}
 * throws, so the owner stops writing.
 */
public final class RunLease implements AutoCloseable {
  /** The lease file's name in the run directory. */
  public static final String FILE = "_echo-lstm-lease.json";

  /**
   * The largest lease file read: a lease is a few hundred bytes (ten short fields, a host name of
   * at most 255); a larger file is not one this job wrote and counts as unreadable.
   */
  static final long MAX_BYTES = 64 << 10;

  /** The token of the owner an unreadable lease file stands for, followed by why. */
  static final String UNREADABLE = "unreadable lease file ";

  private static final Logger LOG = LoggerFactory.getLogger(RunLease.class);
  static final ObjectMapper JSON =
      new ObjectMapper()
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /** Reads one lease: nothing after the JSON value, no null where a number belongs. */
  private static final ObjectReader READER =
      JSON.readerFor(Owner.class)
          .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .with(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  /**
   * How often the owner renews the lease, when another driver may call it stale, and how long a
   * taker waits before it confirms its claim.
   */
  public record Timing(Duration heartbeat, Duration staleAfter, Duration settle) {
    public static final String HEARTBEAT_PROPERTY = "echolstm.lease.heartbeat-seconds";
    public static final String STALE_PROPERTY = "echolstm.lease.stale-seconds";

    public static final Timing DEFAULT =
        new Timing(Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofSeconds(1));

    public Timing {
      if (heartbeat.isNegative() || heartbeat.isZero()) {
        throw new IllegalArgumentException("lease heartbeat must be > 0, found " + heartbeat);
      }
      if (staleAfter.compareTo(heartbeat.multipliedBy(2)) < 0) {
        throw new IllegalArgumentException(
            "a lease must go stale only after at least two missed heartbeats: stale after "
                + staleAfter
                + ", heartbeat "
                + heartbeat);
      }
      if (settle.isNegative()) {
        throw new IllegalArgumentException("lease settle time must be >= 0, found " + settle);
      }
    }

    /**
     * {@link #DEFAULT} with the heartbeat and stale times of the system properties {@value
     * #HEARTBEAT_PROPERTY} and {@value #STALE_PROPERTY} (seconds, e.g. {@code 0.5}) when set.
     */
    public static Timing fromSystemProperties() {
      return new Timing(
          seconds(HEARTBEAT_PROPERTY, DEFAULT.heartbeat()),
          seconds(STALE_PROPERTY, DEFAULT.staleAfter()),
          DEFAULT.settle());
    }

    private static Duration seconds(String property, Duration dflt) {
      String value = System.getProperty(property);
      if (value == null || value.isBlank()) {
        return dflt;
      }
      try {
        return Duration.ofMillis(Math.round(Double.parseDouble(value.strip()) * 1000));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(property + " must be a number of seconds: " + value);
      }
    }
  }

  /**
   * The content of a lease file.
   *
   * @param token this lease's random id: tells the owner's claim from another's
   * @param started when the owner took the lease (UTC, ISO-8601)
   * @param renewed the owner's last heartbeat (UTC, ISO-8601)
   * @param pidNamespace the owner's process namespace ({@code /proc/self/ns/pid}), empty where
   *     unknown: a pid is only meaningful inside it
   */
  public record Owner(
      String runId,
      String token,
      String host,
      long pid,
      String pidNamespace,
      String started,
      String renewed,
      long heartbeatMillis,
      long staleAfterMillis) {

    /**
     * Why this lease, as read from a file, cannot be one this job wrote (a field missing or out of
     * range), or null when it can.
     */
    String problem() {
      String[] names = {"run_id", "token", "host", "pid_namespace", "started", "renewed"};
      String[] values = {runId, token, host, pidNamespace, started, renewed};
      for (int i = 0; i < names.length; i++) {
        if (values[i] == null) {
          return "missing field " + names[i];
        }
      }
      if (pid <= 0) {
        return "missing or bad field pid";
      }
      if (heartbeatMillis <= 0 || staleAfterMillis <= 0) {
        return "missing or bad field heartbeat_millis or stale_after_millis";
      }
      try {
        instant(started);
        instant(renewed);
      } catch (DateTimeParseException e) {
        return "bad time in started or renewed";
      }
      return null;
    }

    /** This process, as a new owner of {@code runId}'s lease. */
    static Owner self(String runId, Timing timing, Instant now) {
      String time = now.truncatedTo(ChronoUnit.MILLIS).toString();
      return new Owner(
          runId,
          UUID.randomUUID().toString(),
          HOST,
          ProcessHandle.current().pid(),
          PID_NAMESPACE,
          time,
          time,
          timing.heartbeat().toMillis(),
          timing.staleAfter().toMillis());
    }

    Owner renewedAt(Instant now) {
      return new Owner(
          runId,
          token,
          host,
          pid,
          pidNamespace,
          started,
          now.truncatedTo(ChronoUnit.MILLIS).toString(),
          heartbeatMillis,
          staleAfterMillis);
    }

    /**
     * E.g. {@code host node7, pid 4242, since 2025-01-02T03:04:05Z, last heartbeat 3 s ago}, or for
     * a file that does not parse {@code unreadable lease file .../_echo-lstm-lease.json: missing
     * field host, last written 3 s ago}.
     */
    public String describe(Instant now) {
      if (token.startsWith(UNREADABLE)) {
        return token
            + ", last written "
            + Math.max(0, Duration.between(instant(renewed), now).toSeconds())
            + " s ago";
      }
      return "host "
          + host
          + ", pid "
          + pid
          + ", since "
          + started
          + ", last heartbeat "
          + Math.max(0, Duration.between(instant(renewed), now).toSeconds())
          + " s ago";
    }
  }

  /**
   * A lease file that no driver can hold: a directory, named pipe or device where the file should
   * be. Nothing replaces it by itself; the message says what to do.
   */
  public static final class UnusableException extends RuntimeException {
    UnusableException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** A live lease held by another driver. */
  public static final class HeldException extends RuntimeException {
    private final transient Owner owner;

    HeldException(String message, Owner owner) {
      super(message);
      this.owner = owner;
    }

    /** The driver holding the lease. */
    public Owner owner() {
      return owner;
    }
  }

  static final String HOST = hostName();
  static final String PID_NAMESPACE = pidNamespace();

  private final FileSystem fs;
  private final Path file;
  private final String runId;
  private final Timing timing;
  private final ScheduledExecutorService heartbeat;
  private Owner self;
  private Instant lastRenewal;
  private volatile String lost;
  private boolean released;

  private RunLease(FileSystem fs, Path file, Owner self, Timing timing, Instant taken) {
    this.fs = fs;
    this.file = file;
    this.runId = self.runId();
    this.self = self;
    this.timing = timing;
    this.lastRenewal = taken;
    this.heartbeat =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "echo-lstm-lease-heartbeat");
              t.setDaemon(true);
              return t;
            });
    long every = timing.heartbeat().toMillis();
    heartbeat.scheduleWithFixedDelay(this::beat, every, every, TimeUnit.MILLISECONDS);
  }

  /**
   * Takes the lease of run {@code runId} in {@code runDir} (created if missing) and starts its
   * heartbeat.
   *
   * @throws HeldException when another driver holds a live lease, or took it at the same moment
   * @throws UncheckedIOException when the file system fails
   */
  public static RunLease take(FileSystem fileSystem, Path runDir, String runId, Timing timing) {
    FileSystem fs = RunFiles.plain(fileSystem);
    Path file = new Path(runDir, FILE);
    try {
      Optional<Owner> before = readOwner(fs, file, timing);
      if (before.isEmpty() && !timing.settle().isZero()) {
        // Where a renewal replaces the file by delete + rename (HDFS), it is missing for a moment.
        sleep(Duration.ofMillis(Math.min(200, timing.settle().toMillis())));
        before = readOwner(fs, file, timing);
      }
      String takenOver = null;
      if (before.isPresent()) {
        Instant now = Instant.now();
        Optional<String> stale = staleness(before.get(), now);
        if (stale.isEmpty()) {
          throw new HeldException(
              "run "
                  + runId
                  + " is being written by another driver ("
                  + describe(before, now)
                  + ")",
              before.get());
        }
        takenOver = before.get().describe(now) + "; " + stale.get();
      }
      fs.mkdirs(runDir);
      Instant now = Instant.now();
      Owner self = Owner.self(runId, timing, now);
      RunFiles.writeAtomically(fs, file, JSON.writeValueAsString(self));
      sleep(timing.settle());
      Optional<Owner> after = readOwner(fs, file, timing);
      if (after.isEmpty() || !after.get().token().equals(self.token())) {
        throw new HeldException(
            "run "
                + runId
                + " was taken by another driver at the same moment ("
                + describe(after, Instant.now())
                + ")",
            after.orElse(null));
      }
      if (takenOver != null) {
        LOG.warn("run {}: took over the lease of a driver that stopped ({})", runId, takenOver);
      } else {
        LOG.info("run {}: took the lease ({})", runId, file);
      }
      return new RunLease(fs, file, self, timing, now);
    } catch (FileRefusedException e) {
      throw new UnusableException(
          "run "
              + runId
              + " cannot be written: "
              + e.getMessage()
              + "; remove it if no driver is writing run "
              + runId,
          e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot take the lease " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Why {@code owner}'s lease may be taken over at {@code now}, or empty while it is live: no
   * heartbeat for longer than its stale time, or its process gone from this host.
   */
  public static Optional<String> staleness(Owner owner, Instant now) {
    Instant renewed = instant(owner.renewed());
    Duration silence = Duration.between(renewed, now);
    if (silence.toMillis() > owner.staleAfterMillis()) {
      return Optional.of(
          "no heartbeat for "
              + silence.toSeconds()
              + " s, stale after "
              + Duration.ofMillis(owner.staleAfterMillis()).toSeconds()
              + " s");
    }
    if (owner.host().equals(HOST)
        && owner.pidNamespace().equals(PID_NAMESPACE)
        && owner.pid() > 0
        && !alive(owner.pid(), instant(owner.started()))) {
      return Optional.of("its process " + owner.pid() + " on this host is gone");
    }
    return Optional.empty();
  }

  /** Whether {@code pid} is a live process that started before {@code leaseStarted}. */
  private static boolean alive(long pid, Instant leaseStarted) {
    Optional<ProcessHandle> process = ProcessHandle.of(pid);
    if (process.isEmpty() || !process.get().isAlive()) {
      return false;
    }
    // A process started after the lease was taken reuses the pid of the one that took it.
    return process.get().info().startInstant().map(s -> !s.isAfter(leaseStarted)).orElse(true);
  }

  /**
   * Throws if this driver no longer holds the lease: another driver took it over, or the heartbeat
   * has failed for so long that another driver may have. Call before every write to the run.
   */
  public void ensureHeld() {
    if (lost != null) {
      throw new IllegalStateException("lost the lease of run " + runId + ": " + lost);
    }
    Instant last;
    synchronized (this) {
      last = lastRenewal;
    }
    Duration silence = Duration.between(last, Instant.now());
    if (silence.compareTo(timing.staleAfter()) > 0) {
      throw new IllegalStateException(
          "the lease of run "
              + runId
              + " was not renewed for "
              + silence.toSeconds()
              + " s (see the log): another driver may have taken it over");
    }
  }

  /** The lease as this owner wrote it last. */
  public synchronized Owner owner() {
    return self;
  }

  private void beat() {
    try {
      renew();
    } catch (Throwable t) {
      LOG.warn("run {}: renewing the lease {} failed; trying again", runId, file, t);
    }
  }

  /** One heartbeat: checks the lease is still this owner's and writes the renewal time. */
  synchronized void renew() throws IOException {
    if (released || lost != null) {
      return;
    }
    Optional<Owner> current = readOwner(fs, file, timing);
    Instant now = Instant.now();
    if (current.isPresent() && !current.get().token().equals(self.token())) {
      lost = "taken over by another driver (" + current.get().describe(now) + ")";
      LOG.error("run {}: {}; this driver stops before its next commit", runId, lost);
      heartbeat.shutdown();
      return;
    }
    if (current.isEmpty()) {
      LOG.warn("run {}: the lease file {} was deleted; writing it again", runId, file);
      fs.mkdirs(file.getParent());
    }
    Owner renewed = self.renewedAt(now);
    RunFiles.writeAtomically(fs, file, JSON.writeValueAsString(renewed));
    self = renewed;
    lastRenewal = now;
  }

  /**
   * Stops the heartbeat and deletes the lease file if it is still this owner's. Idempotent; never
   * throws (a lease it cannot delete goes stale).
   */
  @Override
  public void close() {
    heartbeat.shutdownNow();
    try {
      heartbeat.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (this) {
      if (released) {
        return;
      }
      released = true;
      try {
        Optional<Owner> current = readOwner(fs, file, timing);
        if (current.isPresent() && current.get().token().equals(self.token())) {
          fs.delete(file, false);
          deleteIfEmpty(fs, file.getParent());
          LOG.info("run {}: released the lease", runId);
        }
      } catch (IOException | RuntimeException e) {
        LOG.warn("run {}: could not release the lease {}; it goes stale", runId, file, e);
      }
    }
  }

  /**
   * The lease in {@code file}, if any. A file that is not a lease this job wrote (cut short by a
   * crash on a file system without atomic rename, a field missing, larger than {@value #MAX_BYTES}
   * bytes) counts as an unknown owner last renewed at its modification time, whose token says why
   * ({@value #UNREADABLE}...).
   *
   * @throws FileRefusedException when the lease's path holds a directory, named pipe or device
   */
  static Optional<Owner> readOwner(FileSystem fs, Path file, Timing timing) throws IOException {
    Optional<String> text;
    String problem;
    Owner owner = null;
    try {
      text = RunFiles.read(fs, file, MAX_BYTES, "lease file");
      if (text.isEmpty()) {
        return Optional.empty();
      }
      owner = READER.readValue(text.get());
      problem = owner == null ? "empty" : owner.problem();
    } catch (FileRefusedException e) {
      if (e.reason() != FileRefusedException.Reason.TOO_LARGE) {
        throw e;
      }
      problem = "larger than " + MAX_BYTES + " bytes";
    } catch (JsonProcessingException e) {
      problem =
          "not a lease's JSON (" + e.getOriginalMessage().lines().findFirst().orElse("") + ")";
    }
    if (problem == null) {
      return Optional.of(owner);
    }
    FileStatus status = fs.getFileStatus(file);
    String modified = Instant.ofEpochMilli(status.getModificationTime()).toString();
    return Optional.of(
        new Owner(
            "?",
            UNREADABLE + file + ": " + problem,
            "unknown",
            -1,
            "",
            modified,
            modified,
            timing.heartbeat().toMillis(),
            timing.staleAfter().toMillis()));
  }

  private static String describe(Optional<Owner> owner, Instant now) {
    return owner.map(o -> o.describe(now)).orElse("its lease file is gone");
  }

  private static void deleteIfEmpty(FileSystem fs, Path dir) throws IOException {
    if (fs.exists(dir) && fs.listStatus(dir).length == 0) {
      fs.delete(dir, false);
    }
  }

  private static Instant instant(String iso) {
    return Instant.parse(iso);
  }

  private static void sleep(Duration d) {
    if (d.isZero()) {
      return;
    }
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while taking the lease", e);
    }
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      String env = System.getenv("HOSTNAME");
      return env == null || env.isBlank() ? "unknown" : env;
    }
  }

  private static String pidNamespace() {
    try {
      return java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/ns/pid"))
          .toString();
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return "";
    }
  }
}
