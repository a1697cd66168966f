package io.echolstm.sweep;

import io.echolstm.config.DataSettings;
import io.echolstm.config.EvalSettings;
import io.echolstm.config.LagSearch;
import io.echolstm.config.ModelSettings;
import io.echolstm.config.PointKey;
import io.echolstm.config.PointSettings;
import io.echolstm.config.Settings;
import io.echolstm.config.SettingsException;
import io.echolstm.config.TrainSettings;
import io.echolstm.config.Variant;
import io.echolstm.window.Framing;
import java.util.Objects;

/**
 * One model to train: every setting that decides its result, and whether it is a probe of a
 * frontier search ({@link LagSearch}). Its {@link #key()} is stable across runs and releases
 * ({@link PointKey}), so a rerun can tell which points a results table already holds.
 */
public record SweepPoint(
    String experiment,
    Variant variant,
    int lag,
    int window,
    int hidden,
    long seed,
    DataSettings data,
    ModelSettings model,
    TrainSettings train,
    EvalSettings eval,
    LagSearch lagSearch)
    implements PointSettings {

  public SweepPoint {
    Objects.requireNonNull(experiment, "experiment");
    Objects.requireNonNull(variant, "variant");
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(train, "train");
    Objects.requireNonNull(eval, "eval");
    Objects.requireNonNull(lagSearch, "lagSearch");
    if (lag < 0 || lag >= data.sequenceLength()) {
      throw new SettingsException(Settings.SWEEP_LAGS.key(), "lag out of range: " + lag);
    }
    if (window < 1 || window > data.sequenceLength()) {
      throw new SettingsException(Settings.SWEEP_WINDOWS.key(), "window out of range: " + window);
    }
    if (hidden < 1) {
      throw new SettingsException(
          Settings.MODEL_HIDDEN.key(), "hidden size out of range: " + hidden);
    }
  }

  /**
   * True when the label cannot be in the model's input (e.g. lag >= window): the point is kept as a
   * control that should stay at chance.
   */
  public boolean control() {
    return !variant.labelReachable(lag, window);
  }

  /**
   * Training windows per sequence: the samples framed from it that carry a label. A stateful frame
   * also holds windows before the first label ({@code lag >= window}); they are fed for the state
   * they carry but not counted.
   */
  public int windowsPerSequence() {
    return Framing.labelledSamplesPerSequence(variant, data.sequenceLength(), window, lag);
  }

  /**
   * The experiment and the per-point settings ({@link Settings#perPoint()}) as {@code name=value},
   * written by {@link PointKey}: equal keys mean the same training.
   */
  public String key() {
    return Keys.CURRENT.key(experiment, this);
  }

  /** A short, path-safe id derived from {@link #key()}. */
  public String id() {
    return PointKey.id(key());
  }

  /**
   * The workers this point trains with on a master whose default parallelism is {@code
   * defaultParallelism} ({@link TrainSettings#resolveWorkers}).
   */
  public int workers(int defaultParallelism) {
    int steps = variant == Variant.WHOLE_SEQUENCE ? data.sequenceLength() : window;
    return train.resolveWorkers(defaultParallelism, hidden, steps);
  }

  /**
   * This point's settings as its row records them: {@link #workers()} is the count it trained with
   * ({@code train.workers=auto} resolved), all else as planned.
   */
  public PointSettings withWorkers(int workers) {
    return new Trained(this, workers);
  }

  /** A planned point with the worker count it trained with. */
  private record Trained(SweepPoint planned, int workers) implements PointSettings {
    @Override
    public Variant variant() {
      return planned.variant();
    }

    @Override
    public int lag() {
      return planned.lag();
    }

    @Override
    public int window() {
      return planned.window();
    }

    @Override
    public int hidden() {
      return planned.hidden();
    }

    @Override
    public long seed() {
      return planned.seed();
    }

    @Override
    public DataSettings data() {
      return planned.data();
    }

    @Override
    public ModelSettings model() {
      return planned.model();
    }

    @Override
    public TrainSettings train() {
      return planned.train();
    }

    @Override
    public EvalSettings eval() {
      return planned.eval();
    }

    @Override
    public LagSearch lagSearch() {
      return planned.lagSearch();
    }
  }

  /**
   * The key of the frontier search this point is a candidate of: its key without the lag, so the
   * points of one search (one configuration and seed at every lag of the range) share it.
   */
  public String searchKey() {
    return PointKey.without(key(), Settings.SWEEP_LAGS);
  }

  /** Built on first use: the point of the defaults is a {@link SweepPoint} too. */
  private static final class Keys {
    static final SweepPoint DEFAULTS = SweepPlan.defaultsPoint();
    static final PointKey CURRENT = new PointKey(Settings.perPoint(), DEFAULTS);
  }

  /**
   * What a person needs to recognise the point in a log line or a Spark job description; the seed
   * when it is not the default one, so replicates are told apart and a run of the default seed is
   * labelled as before.
   */
  public String label() {
    return experiment
        + " variant="
        + variant.id()
        + " lag="
        + lag
        + " window="
        + window
        + " hidden="
        + hidden
        + (seed == Keys.DEFAULTS.seed() ? "" : " seed=" + seed);
  }
}
