package io.tokengate.grant;

import java.util.Set;

/** The grant types a client can be registered for. */
public final class GrantTypes {

  public static final String PASSWORD = "password";
  public static final String REFRESH_TOKEN = "refresh_token";
  public static final String CLIENT_CREDENTIALS = "client_credentials";

  public static final Set<String> KNOWN = Set.of(PASSWORD, REFRESH_TOKEN, CLIENT_CREDENTIALS);

  private GrantTypes() {
  }
}
