package io.echolstm.report;

import java.util.Collection;
import java.util.Locale;

/**
 * The mean of a configuration's replicates (its points that differ only in their seed) and its 95 %
 * confidence interval from Student's t distribution: {@code mean ± t(0.975, n - 1) s / sqrt(n)},
 * with {@code s} the sample standard deviation. One replicate has no interval ({@code halfWidth} is
 * NaN), none has no mean.
 *
 * @param n the replicates with a value
 * @param mean their mean (NaN when {@code n} is 0)
 * @param halfWidth half the interval's width (NaN when {@code n} is below 2)
 */
public record Interval(int n, double mean, double halfWidth) {
  /** The interval of {@code values}, leaving out nulls and NaNs (a metric that does not apply). */
  public static Interval of(Collection<? extends Number> values) {
    int n = 0;
    double sum = 0;
    for (Number v : values) {
      if (v != null && !Double.isNaN(v.doubleValue())) {
        n++;
        sum += v.doubleValue();
      }
    }
    if (n == 0) {
      return new Interval(0, Double.NaN, Double.NaN);
    }
    double mean = sum / n;
    if (n == 1) {
      return new Interval(1, mean, Double.NaN);
    }
    double squares = 0;
    for (Number v : values) {
      if (v != null && !Double.isNaN(v.doubleValue())) {
        squares += (v.doubleValue() - mean) * (v.doubleValue() - mean);
      }
    }
    double sd = Math.sqrt(squares / (n - 1));
    return new Interval(n, mean, studentT975(n - 1) * sd / Math.sqrt(n));
  }

  /** The interval's lower end (the mean when there is no interval). */
  public double low() {
    return Double.isNaN(halfWidth) ? mean : mean - halfWidth;
  }

  /** The interval's upper end (the mean when there is no interval). */
  public double high() {
    return Double.isNaN(halfWidth) ? mean : mean + halfWidth;
  }

  /**
   * As the tables show it: {@code 0.9969 ± 0.0012 (n=5)}, {@code 0.9969 (n=1)} for one replicate,
   * {@code -} for none.
   */
  public String format(int decimals) {
    if (n == 0) {
      return "-";
    }
    String f = "%." + decimals + "f";
    String m = String.format(Locale.ROOT, f, mean);
    if (n == 1) {
      return m + " (n=1)";
    }
    return m + " ± " + String.format(Locale.ROOT, f, halfWidth) + " (n=" + n + ")";
  }

  /**
   * The 0.975 quantile of Student's t distribution with {@code df} degrees of freedom: the {@code
   * t} with {@code P(|T| <= t) = 0.95}. {@code P(|T| <= t)} has a closed form for whole degrees of
   * freedom (Abramowitz and Stegun 26.7.3 and 26.7.4, in {@code theta = atan(t / sqrt(df))}),
   * increasing in {@code theta}, which is found by bisection to double precision.
   */
  static double studentT975(int df) {
    if (df < 1) {
      throw new IllegalArgumentException("degrees of freedom must be >= 1, found " + df);
    }
    double lo = 0;
    double hi = Math.PI / 2;
    for (int i = 0; i < 200 && lo < hi; i++) {
      double mid = (lo + hi) / 2;
      if (mid == lo || mid == hi) {
        break;
      }
      if (centralProbability(df, mid) < 0.95) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    double theta = (lo + hi) / 2;
    return Math.sqrt(df) * Math.tan(theta);
  }

  /** {@code P(|T| <= sqrt(df) tan(theta))} for Student's t with {@code df} degrees of freedom. */
  static double centralProbability(int df, double theta) {
    double sin = Math.sin(theta);
    double cos2 = Math.cos(theta) * Math.cos(theta);
    if (df % 2 == 0) {
      // sin(theta) (1 + 1/2 cos^2 + (1 3)/(2 4) cos^4 + ... up to cos^(df-2))
      double term = 1;
      double sum = 1;
      for (int k = 2; k <= df - 2; k += 2) {
        term *= cos2 * (k - 1) / k;
        sum += term;
      }
      return sin * sum;
    }
    if (df == 1) {
      return 2 * theta / Math.PI;
    }
    // 2/pi (theta + sin(theta) cos(theta) (1 + 2/3 cos^2 + (2 4)/(3 5) cos^4 + ... up to
    // cos^(df-3)))
    double term = 1;
    double sum = 1;
    for (int k = 3; k <= df - 2; k += 2) {
      term *= cos2 * (k - 1) / k;
      sum += term;
    }
    return 2 / Math.PI * (theta + sin * Math.sqrt(cos2) * sum);
  }
}
