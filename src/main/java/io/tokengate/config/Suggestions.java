package io.tokengate.config;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/** The nearest valid name to a mistyped one, for "did you mean ...?". */
final class Suggestions {

  private Suggestions() {
  }

  /** The candidate with the fewest edits from {@code typed}, when it is close enough to be a plausible typo. */
  static Optional<String> nearest(String typed, Collection<String> candidates) {
    return candidates.stream()
      .min(Comparator.comparingInt((String candidate) -> distance(typed, candidate)).thenComparing(candidate -> candidate))
      .filter(candidate -> distance(typed, candidate) <= Math.max(2, typed.length() / 3));
  }

  static boolean isClose(String typed, Collection<String> candidates, int edits) {
    return candidates.stream().anyMatch(candidate -> distance(typed, candidate) <= edits);
  }

  static String didYouMean(String typed, Collection<String> candidates) {
    return nearest(typed, candidates).map(name -> "; did you mean " + name + "?").orElse("");
  }

  /** Levenshtein distance. */
  static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
