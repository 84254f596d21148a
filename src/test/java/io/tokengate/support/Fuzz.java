package io.tokengate.support;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Property-based fuzzing on plain JUnit Jupiter: a property draws {@code tries} inputs from a generator and checks
 * each; the first input that fails (an unexpected exception, a failed assertion, or a try that runs longer than its
 * time limit) is shrunk where a shrinker is given and reported with the seed that reproduces it.
 *
 * <p>Seeds are random, one per test JVM, so every run explores new inputs. To replay a failure, run the one test with
 * the seed it printed: {@code mvn test -Dtest='FormParserFuzzTest#...' -Dfuzz.seed=...}. {@code -Dfuzz.factor=10}
 * multiplies every property's tries, for a longer hunt than CI's bounded run; {@code -Dfuzz.report=true} prints each
 * property's outcome counts and time.
 *
 * <pre>{@code
 * Fuzz.tries(5_000).shrinking(FuzzInputs::smallerBytes)
 *   .check(random -> FuzzInputs.bytes(random, 512, "%&="), body -> {
 *     FormParser.parse(body);
 *     return "parsed";
 *   })
 *   .reached("parsed", 0.1);
 * }</pre>
 */
public final class Fuzz {

  /** The seed of this JVM's run: {@code -Dfuzz.seed}, else random. */
  public static final long SEED = Long.getLong("fuzz.seed", new SecureRandom().nextLong());
  private static final double FACTOR = Double.parseDouble(System.getProperty("fuzz.factor", "1"));
  private static final boolean REPORT = Boolean.getBoolean("fuzz.report");
  private static final int MAX_SHRINK_STEPS = 2_000;
  private static final Duration DEFAULT_TIME_PER_TRY = Duration.ofSeconds(2);

  /** Draws one input. */
  @FunctionalInterface
  public interface Generator<T> {
    T next(SplittableRandom random);
  }

  /**
   * Checks one input: returns a label for the outcome (counted in the {@link Tally}) or fails by throwing.
   */
  @FunctionalInterface
  public interface Check<T> {
    String test(T input) throws Exception;
  }

  /** Smaller variants of an input, most promising first. */
  @FunctionalInterface
  public interface Shrinker<T> {
    List<T> candidates(T input);
  }

  private final int tries;
  private final Duration timePerTry;
  private final Shrinker<Object> shrinker;
  private final Function<Object, String> describer;

  private Fuzz(int tries, Duration timePerTry, Shrinker<Object> shrinker, Function<Object, String> describer) {
    this.tries = tries;
    this.timePerTry = timePerTry;
    this.shrinker = shrinker;
    this.describer = describer;
  }

  /** A property of {@code tries} inputs (times {@code -Dfuzz.factor}), each allowed 2 s. */
  public static Fuzz tries(int tries) {
    return new Fuzz(Math.max(1, (int) (tries * FACTOR)), DEFAULT_TIME_PER_TRY, input -> List.of(),
      FuzzInputs::describe);
  }

  /** A try running longer than this fails the property as a hang, naming its input. */
  public Fuzz timePerTry(Duration limit) {
    return new Fuzz(tries, limit, shrinker, describer);
  }

  @SuppressWarnings("unchecked")
  public <T> Fuzz shrinking(Shrinker<T> shrinkWith) {
    return new Fuzz(tries, timePerTry, (Shrinker<Object>) shrinkWith, describer);
  }

  /**
   * Runs the property on a worker thread, watched so that a hanging try fails instead of stalling the build.
   *
   * @return how often each outcome label came up
   * @throws AssertionError for the first failing input, with the seed to reproduce it
   */
  @SuppressWarnings("unchecked")
  public <T> Tally check(Generator<T> generator, Check<T> check) {
    String property = callingTest();
    Run run = new Run((Generator<Object>) generator, (Check<Object>) check);
    FutureTask<Tally> task = new FutureTask<>(run::execute);
    Thread worker = new Thread(task, "fuzz " + property);
    worker.setDaemon(true);
    worker.start();
    while (true) {
      try {
        Tally tally = task.get(50, TimeUnit.MILLISECONDS);
        if (REPORT) {
          System.out.printf("fuzz %s: %d tries in %d ms, seed %d: %s%n", property, tries,
            (System.nanoTime() - run.started) / 1_000_000, SEED, tally.counts());
        }
        return tally;
      } catch (TimeoutException stillRunning) {
        long running = System.nanoTime() - run.tryStarted;
        if (running > timePerTry.toNanos()) {
          task.cancel(true);
          throw new AssertionError(header(property, run.tryNumber) + "try " + run.tryNumber + " ran over "
            + timePerTry.toMillis() + " ms (a hang?) on input:\n  " + describer.apply(run.current));
        }
      } catch (InterruptedException e) {
        task.cancel(true);
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof Falsified falsified) {
          throw falsified.report(property, this);
        }
        throw new AssertionError(header(property, run.tryNumber) + "the generator or harness failed", e.getCause());
      }
    }
  }

  private static String header(String property, int tryNumber) {
    return property + " falsified at try " + tryNumber + " with seed " + SEED + "\n  reproduce: -Dtest='"
      + property + "' -Dfuzz.seed=" + SEED + "\n";
  }

  /** {@code Class#method} of the test that runs the property. */
  private static String callingTest() {
    return StackWalker.getInstance().walk(frames -> frames
      .filter(frame -> !frame.getClassName().startsWith(Fuzz.class.getName()))
      .filter(frame -> !frame.getMethodName().startsWith("lambda$"))
      .findFirst()
      .map(frame -> frame.getClassName().substring(frame.getClassName().lastIndexOf('.') + 1)
        + "#" + frame.getMethodName())
      .orElse("?"));
  }

  /** The loop of one property; its fields are read by the watching thread. */
  private final class Run {

    private final Generator<Object> generator;
    private final Check<Object> check;
    private final long started = System.nanoTime();
    private volatile long tryStarted = Long.MAX_VALUE;
    private volatile int tryNumber;
    private volatile Object current;
    private String label;

    Run(Generator<Object> generator, Check<Object> check) {
      this.generator = generator;
      this.check = check;
    }

    Tally execute() {
      SplittableRandom random = new SplittableRandom(SEED);
      Map<String, Integer> counts = new TreeMap<>();
      for (int i = 1; i <= tries; i++) {
        tryNumber = i;
        tryStarted = System.nanoTime();
        Object input = generator.next(random);
        Throwable failure = attempt(input);
        if (failure != null) {
          throw shrink(input, failure);
        }
        counts.merge(label, 1, Integer::sum);
      }
      tryStarted = Long.MAX_VALUE;
      return new Tally(counts, tries);
    }

    /** @return the failure, or null when the check passed (its label is then in {@link #label}) */
    private Throwable attempt(Object input) {
      current = input;
      tryStarted = System.nanoTime();
      try {
        label = String.valueOf(check.test(input));
        return null;
      } catch (Throwable failure) {
        if (failure instanceof InterruptedException || Thread.currentThread().isInterrupted()) {
          throw new IllegalStateException("cancelled");
        }
        return failure;
      }
    }

    /** Greedy: take the first smaller candidate that fails the same way, until none does. */
    private Falsified shrink(Object original, Throwable originalFailure) {
      Object smallest = original;
      Throwable failure = originalFailure;
      int steps = 0;
      boolean smaller = true;
      while (smaller && steps < MAX_SHRINK_STEPS) {
        smaller = false;
        for (Object candidate : shrinker.candidates(smallest)) {
          if (++steps > MAX_SHRINK_STEPS) {
            break;
          }
          Throwable candidateFailure = attempt(candidate);
          if (candidateFailure != null && candidateFailure.getClass() == failure.getClass()) {
            smallest = candidate;
            failure = candidateFailure;
            smaller = true;
            break;
          }
        }
      }
      tryStarted = Long.MAX_VALUE;
      return new Falsified(tryNumber, original, smallest, failure);
    }
  }

  /** The first failing input, carried from the worker thread to the test's. */
  private static final class Falsified extends RuntimeException {

    private final int tryNumber;
    private final transient Object original;
    private final transient Object shrunk;

    Falsified(int tryNumber, Object original, Object shrunk, Throwable failure) {
      super(failure);
      this.tryNumber = tryNumber;
      this.original = original;
      this.shrunk = shrunk;
    }

    AssertionError report(String property, Fuzz fuzz) {
      String input = "input:\n  " + fuzz.describer.apply(shrunk);
      if (shrunk != original) {
        input += "\n  shrunk from:\n  " + fuzz.describer.apply(original);
      }
      return new AssertionError(header(property, tryNumber) + "failed with " + getCause() + "\n" + input, getCause());
    }
  }

  /** How often each outcome came up in a property's tries: to check that the inputs reached the paths they aim at. */
  public record Tally(Map<String, Integer> counts, int tries) {

    public int count(String label) {
      return counts.getOrDefault(label, 0);
    }

    /**
     * Fails unless {@code label} came up in at least {@code fraction} of the tries: a generator that stopped reaching
     * a path would otherwise pass silently.
     */
    public Tally reached(String label, double fraction) {
      if (count(label) < fraction * tries) {
        throw new AssertionError("the generator reached '" + label + "' in " + count(label) + " of " + tries
          + " tries, expected at least " + fraction * 100 + "% (seed " + SEED + "); all outcomes: " + counts);
      }
      return this;
    }
  }
}
