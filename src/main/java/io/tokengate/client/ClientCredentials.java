package io.tokengate.client;

import io.tokengate.oauth.FormEncoding;
import io.tokengate.oauth.OAuthException;
import io.tokengate.oauth.ClientRequest;

import java.util.Base64;
import java.util.Optional;

/** The credentials a request presents, and by which method. Parsing enforces RFC 6749 §2.3's "one method". */
record ClientCredentials(ClientAuthMethod method, String clientId, String secret) {

  private static final String BASIC = "basic ";

  static ClientCredentials from(ClientRequest request) {
    Optional<String> header = request.authorization();
    Optional<String> postedId = request.parameters().optional("client_id");
    Optional<String> postedSecret = request.parameters().optional("client_secret");
    if (header.isPresent()) {
      if (postedSecret.isPresent()) {
        throw OAuthException.invalidRequest("the client used more than one authentication method");
      }
      ClientCredentials basic = basic(header.get());
      if (postedId.isPresent() && !postedId.get().equals(basic.clientId)) {
        throw OAuthException.invalidRequest("client_id does not match the authenticated client");
      }
      return basic;
    }
    if (postedSecret.isPresent()) {
      String clientId = postedId.orElseThrow(() -> OAuthException.invalidRequest("missing parameter client_id"));
      return new ClientCredentials(ClientAuthMethod.CLIENT_SECRET_POST, clientId, postedSecret.get());
    }
    // A public client (client_id alone) or no client at all: this server has no public clients.
    throw OAuthException.invalidClient("client authentication is required");
  }

  /** RFC 6749 §2.3.1: the id and secret are form-urlencoded, then joined by ':' and base64-encoded. */
  private static ClientCredentials basic(String header) {
    if (header.length() <= BASIC.length() || !header.regionMatches(true, 0, BASIC, 0, BASIC.length())) {
      throw OAuthException.invalidClient("unsupported authorization scheme");
    }
    byte[] decoded;
    try {
      decoded = Base64.getDecoder().decode(header.substring(BASIC.length()).strip());
    } catch (IllegalArgumentException e) {
      throw OAuthException.invalidClient("malformed Basic credentials");
    }
    int colon = indexOf(decoded, (byte) ':');
    Optional<String> id = colon < 0 ? Optional.empty() : FormEncoding.decode(decoded, 0, colon);
    Optional<String> secret = colon < 0 ? Optional.empty() : FormEncoding.decode(decoded, colon + 1, decoded.length);
    if (id.isEmpty() || id.get().isEmpty() || secret.isEmpty() || secret.get().isEmpty()) {
      throw OAuthException.invalidClient("malformed Basic credentials");
    }
    return new ClientCredentials(ClientAuthMethod.CLIENT_SECRET_BASIC, id.get(), secret.get());
  }

  private static int indexOf(byte[] bytes, byte wanted) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == wanted) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public String toString() {
    return "ClientCredentials[" + method.value() + ", " + clientId + "]";
  }
}
