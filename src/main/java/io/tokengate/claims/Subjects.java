package io.tokengate.claims;

import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * The {@code sub} a client's tokens give a user: the user's id, or, for a client with pairwise subjects, a pairwise
 * subject in the client's sector.
 */
public final class Subjects {

  private final PairwiseSubjects pairwise;

  public Subjects(PairwiseSubjects pairwise) {
    this.pairwise = pairwise;
  }

  /** @param pairwiseSector the client's sector when it has pairwise subjects, else empty */
  public String of(Optional<String> pairwiseSector, UUID userId) {
    return pairwiseSector.map(sector -> pairwise.subject(sector, userId)).orElse(userId.toString());
  }

  /** The user behind a subject a client's token carries; empty when it is no user's subject. */
  public Optional<UUID> userOf(Optional<String> pairwiseSector, String subject) {
    if (pairwiseSector.isPresent()) {
      return pairwise.userId(pairwiseSector.get(), subject);
    }
    try {
      UUID id = UUID.fromString(subject);
      return id.toString().equals(subject.toLowerCase(Locale.ROOT)) ? Optional.of(id) : Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
