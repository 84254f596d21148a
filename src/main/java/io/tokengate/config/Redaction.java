package io.tokengate.config;

/** Connection URLs as they may be printed: any password masked, in the user part and in query parameters. */
public final class Redaction {

  private Redaction() {
  }

  /** {@code scheme://user:secret@host/...?password=x} becomes {@code scheme://user:***@host/...?password=***}. */
  public static String url(String value) {
    return value
      .replaceFirst("^([a-zA-Z][a-zA-Z0-9+.-]*://[^:@/]+):[^@/]*@", "$1:***@")
      .replaceAll("(?i)([?&](?:ssl)?password=)[^&]*", "$1***");
  }
}
