package io.tokengate.support;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Token requests over real HTTP, as a client would send them. */
public final class Http {

  private final WebClient client;
  private final int port;

  public Http(Vertx vertx, int port) {
    this.client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
    this.port = port;
  }

  public int port() {
    return port;
  }

  public WebClient client() {
    return client;
  }

  /** A form POST to the token endpoint with client_secret_basic. */
  public HttpResponse<Buffer> tokenWithBasic(String clientId, String secret, MultiMap form) {
    return client.post("/oauth2/token").putHeader("Authorization", basic(clientId, secret)).sendForm(form).await();
  }

  public HttpResponse<Buffer> token(MultiMap form) {
    return client.post("/oauth2/token").sendForm(form).await();
  }

  /** A POST with a body exactly as given. */
  public HttpResponse<Buffer> tokenRaw(String contentType, String body) {
    HttpRequest<Buffer> request = client.post("/oauth2/token");
    if (contentType != null) {
      request.putHeader("Content-Type", contentType);
    }
    return request.sendBuffer(Buffer.buffer(body)).await();
  }

  public HttpResponse<Buffer> get(String path) {
    return client.get(path).send().await();
  }

  /** RFC 6749 §2.3.1: each part form-urlencoded, then joined and base64-encoded. */
  public static String basic(String clientId, String secret) {
    String joined = URLEncoder.encode(clientId, StandardCharsets.UTF_8) + ":" + URLEncoder.encode(secret, StandardCharsets.UTF_8);
    return "Basic " + Base64.getEncoder().encodeToString(joined.getBytes(StandardCharsets.UTF_8));
  }

  public static MultiMap form(String... namesAndValues) {
    MultiMap form = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      form.add(namesAndValues[i], namesAndValues[i + 1]);
    }
    return form;
  }


  public void close() {
    client.close();
  }
}
