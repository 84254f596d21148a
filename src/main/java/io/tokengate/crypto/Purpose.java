package io.tokengate.crypto;

/**
 * What a sealed value is. It is part of the associated data, with the owner (a client id, a user id, a key id), so
 * that a sealed value copied to another kind of column, or another row, does not open.
 */
public enum Purpose {
  CLIENT_SECRET("client_secret"),
  TOTP_SECRET("totp"),
  SIGNING_KEY("signing_key"),
  USERNAME_KEY("username_key"),
  PAIRWISE_KEY("pairwise_key");

  private final String label;

  Purpose(String label) {
    this.label = label;
  }

  String label() {
    return label;
  }
}
