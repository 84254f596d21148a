package io.tokengate.http;

import io.tokengate.support.Http;
import io.tokengate.support.Metrics;
import io.tokengate.support.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client that sends its request a byte now and then is cut off after {@code http.request_timeout}, not kept for
 * the 60 s idle timeout. (The socket's read timeout of 30 s is only a guard: the gateway must close first.)
 */
@ExtendWith(VertxExtension.class)
class RequestTimeoutTest {

  private static TestGateway gateway;
  private static Http management;

  @BeforeAll
  static void start(Vertx vertx) {
    gateway = TestGateway.start(Map.of("TOKENGATE_HTTP_REQUEST_TIMEOUT", "1s"));
    management = new Http(vertx, gateway.managementPort());
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  @Test
  void unfinishedHeadersOfALaterRequestOnTheConnectionAreCutOff() throws IOException {
    assertClosedAfterSending("POST /oauth2/token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Ty");
  }

  /**
   * The headers of a connection's first request, a byte at a time (each byte resets the idle timeout): cut off
   * after http.request_timeout (1 s here) rather than the 60 s idle timeout. The sender gives up after 20 s.
   */
  @Test
  void theFirstRequestsHeadersSentAByteAtATimeAreCutOff() throws Exception {
    double before = Metrics.value(management, "tokengate_http_request_timeouts_total");
    byte[] headers = ("POST /oauth2/token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-"
      + "urlencoded\r\nX-Padding: " + "a".repeat(400) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    boolean closed = false;
    try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
      socket.setSoTimeout(100);
      long giveUp = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
      for (int i = 0; i < headers.length && !closed && System.nanoTime() < giveUp; i++) {
        try {
          socket.getOutputStream().write(headers[i]);
          socket.getOutputStream().flush();
          closed = socket.getInputStream().read() < 0;
        } catch (SocketTimeoutException stillOpen) {
          // nothing to read yet: send the next byte
        } catch (java.net.SocketException reset) {
          closed = true;
        }
      }
    }
    assertTrue(closed, "the gateway closed the connection before the headers were complete");
    assertEquals(before + 1, Metrics.value(management, "tokengate_http_request_timeouts_total"));
  }

  @Test
  void anUnfinishedBodyIsCutOff() throws IOException {
    assertClosedAfterSending("POST /oauth2/token HTTP/1.1\r\nHost: 127.0.0.1\r\n"
      + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\ngrant_type=");
  }

  @Test
  void aWholeRequestOnAKeptAliveConnectionIsAnswered() throws IOException {
    double before = Metrics.value(management, "tokengate_http_request_timeouts_total");
    try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
      socket.setSoTimeout(30_000);
      for (int i = 0; i < 2; i++) {
        socket.getOutputStream().write(("GET /oauth2/jwks HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
        String answer = readUntil(socket.getInputStream(), "]}");
        assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
      }
      // Idle between requests is not a slow request: the connection outlives the request timeout (only a wait for
      // something that must not happen can show that).
      socket.setSoTimeout(2_500);
      assertThrows(SocketTimeoutException.class, () -> socket.getInputStream().read(), "still open, nothing sent");
      assertEquals(before, Metrics.value(management, "tokengate_http_request_timeouts_total"));
    }
  }

  /** After one whole request on the connection. */
  private void assertClosedAfterSending(String partialRequest) throws IOException {
    double before = Metrics.value(management, "tokengate_http_request_timeouts_total");
    try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
      socket.setSoTimeout(30_000);
      socket.getOutputStream().write("GET /oauth2/jwks HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
        .getBytes(StandardCharsets.US_ASCII));
      readUntil(socket.getInputStream(), "]}");
      socket.getOutputStream().write(partialRequest.getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      InputStream in = socket.getInputStream();
      int read;
      try {
        while ((read = in.read()) >= 0) {
          // a 408 or nothing: either way the connection ends
        }
      } catch (java.net.SocketException reset) {
        read = -1;
      }
      assertEquals(-1, read, "the gateway closed the connection");
    }
    assertEquals(before + 1, Metrics.value(management, "tokengate_http_request_timeouts_total"));
  }

  private static String readUntil(InputStream in, String marker) throws IOException {
    StringBuilder text = new StringBuilder();
    while (!text.toString().contains(marker)) {
      int c = in.read();
      if (c < 0) {
        break;
      }
      text.append((char) c);
    }
    return text.toString();
  }
}
