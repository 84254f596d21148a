package io.tokengate.http;

import io.tokengate.oauth.ClientForm;
import io.tokengate.oauth.OAuthError;
import io.tokengate.oauth.OAuthException;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;

/**
 * The edge of the token, introspection and revocation endpoints (RFC 6749 §3.2, RFC 7662 §2.1, RFC 7009 §2.1): a
 * urlencoded POST body, nothing in the query string (credentials must never travel in a URI), at most one
 * Authorization header, at most one DPoP proof, and a bounded body. The client's certificate, if any, is taken here
 * from the connection or a trusted proxy's header.
 */
final class FormRequestReader {

  private static final String FORM = "application/x-www-form-urlencoded";
  private static final String DPOP = "DPoP";

  private final int bodyLimit;
  private final String issuer;
  private final ClientCertificateSource certificates;

  FormRequestReader(int bodyLimit, String issuer, ClientCertificateSource certificates) {
    this.bodyLimit = bodyLimit;
    this.issuer = issuer;
    this.certificates = certificates;
  }

  Future<ClientForm> read(HttpServerRequest request) {
    String query = request.query();
    if (query != null && !query.isEmpty()) {
      return Future.failedFuture(OAuthException.invalidRequest("parameters belong in the request body, not the URI"));
    }
    if (!isForm(request.getHeader(HttpHeaders.CONTENT_TYPE))) {
      return Future.failedFuture(OAuthException.invalidRequest("Content-Type must be " + FORM));
    }
    List<String> authorization = request.headers().getAll(HttpHeaders.AUTHORIZATION);
    if (authorization.size() > 1) {
      return Future.failedFuture(OAuthException.invalidRequest("more than one Authorization header"));
    }
    List<String> dpop = request.headers().getAll(DPOP);
    if (dpop.size() > 1) {
      // RFC 9449 §4.3: exactly one proof.
      return Future.failedFuture(OAuthException.of(OAuthError.INVALID_DPOP_PROOF, "more than one DPoP header"));
    }
    List<X509Certificate> chain;
    try {
      chain = certificates.of(request);
    } catch (OAuthException e) {
      return Future.failedFuture(e);
    }
    return BodyReader.read(request, bodyLimit)
      .map(body -> new ClientForm(FormParser.parse(body.getBytes()), authorization.stream().findFirst(), chain,
        dpop.stream().findFirst(), issuer + request.path()));
  }

  /** {@code application/x-www-form-urlencoded}, optionally with {@code charset=utf-8} and nothing else. */
  static boolean isForm(String contentType) {
    if (contentType == null) {
      return false;
    }
    String[] parts = contentType.split(";");
    if (!parts[0].strip().toLowerCase(Locale.ROOT).equals(FORM)) {
      return false;
    }
    for (int i = 1; i < parts.length; i++) {
      String parameter = parts[i].strip().toLowerCase(Locale.ROOT).replace("\"", "");
      if (!parameter.isEmpty() && !parameter.equals("charset=utf-8")) {
        return false;
      }
    }
    return true;
  }
}
