package io.tokengate.grant;

import io.tokengate.client.ClientRegistration;
import io.tokengate.support.Http;
import io.tokengate.support.TestClock;
import io.tokengate.support.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static io.tokengate.support.Http.form;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client's password grant with a sunset: warned in every answer before it (RFC 9745 Deprecation, RFC 8594 Sunset,
 * a Link to the migration documentation), refused from it on, while its users' sessions go on by refresh.
 */
@ExtendWith(VertxExtension.class)
class PasswordGrantSunsetTest {

  private static final String PASSWORD = "correct horse battery staple";
  private static final String LINK = "https://docs.example.com/leaving-the-password-grant";
  /** RFC 9651 §3.3.7: a Date is "@" and an integer of seconds. */
  private static final String STRUCTURED_DATE = "@-?\\d{1,15}";
  /** RFC 9110 §5.6.7 IMF-fixdate. */
  private static final String IMF_FIXDATE =
    "(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \\d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \\d{4} \\d{2}:\\d{2}:\\d{2} GMT";

  private final TestClock clock = new TestClock();
  private TestGateway gateway;
  private Http api;
  private Instant sunset;
  private String retiringSecret;
  private String keptSecret;

  @BeforeEach
  void start(Vertx vertx) {
    gateway = TestGateway.start(Map.of("TOKENGATE_PASSWORD_GRANT_SUNSET_LINK", LINK), clock);
    api = new Http(vertx, gateway.port());
    sunset = clock.instant().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
    retiringSecret = gateway.register(new ClientRegistration.Request("retiring-app", Set.of("password",
      "refresh_token"), List.of(), List.of(), Optional.empty(), Optional.empty())
      .retiringPasswordGrantAt(Optional.of(sunset))).generatedSecret().orElseThrow();
    keptSecret = gateway.createClient("kept-app", Set.of("password", "refresh_token"), List.of(), List.of());
    gateway.createUser("alice", PASSWORD);
  }

  @AfterEach
  void stop() {
    gateway.close();
  }

  private HttpResponse<Buffer> login(String clientId, String secret, String password) {
    return api.tokenWithBasic(clientId, secret, form("grant_type", "password", "username", "alice",
      "password", password));
  }

  @Test
  void everyPasswordGrantAnswerBeforeTheSunsetCarriesDeprecationSunsetAndLink() {
    HttpResponse<Buffer> issued = login("retiring-app", retiringSecret, PASSWORD);
    HttpResponse<Buffer> refused = login("retiring-app", retiringSecret, "wrong password");

    assertEquals(200, issued.statusCode(), issued.bodyAsString());
    assertEquals(400, refused.statusCode());
    assertEquals("invalid_grant", refused.bodyAsJsonObject().getString("error"));
    for (HttpResponse<Buffer> response : List.of(issued, refused)) {
      String deprecation = response.getHeader("Deprecation");
      String sunsetHeader = response.getHeader("Sunset");
      assertTrue(deprecation.matches(STRUCTURED_DATE), deprecation);
      Instant deprecatedAt = Instant.ofEpochSecond(Long.parseLong(deprecation.substring(1)));
      // Announced by the registration just now (on the system clock, like an operator's command).
      assertTrue(!deprecatedAt.isAfter(Instant.now()) && deprecatedAt.isAfter(Instant.now().minusSeconds(120)),
        "deprecated since the sunset was announced: " + deprecatedAt);
      assertTrue(sunsetHeader.matches(IMF_FIXDATE), sunsetHeader);
      assertEquals(sunset, ZonedDateTime.parse(sunsetHeader, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
      assertEquals("<" + LINK + ">; rel=\"deprecation\"; type=\"text/html\"", response.getHeader("Link"));
    }
  }

  @Test
  void aClientWithoutASunsetAndOtherGrantsAreNotWarned() {
    HttpResponse<Buffer> kept = login("kept-app", keptSecret, PASSWORD);
    HttpResponse<Buffer> refreshed = api.tokenWithBasic("retiring-app", retiringSecret, form("grant_type",
      "refresh_token", "refresh_token", login("retiring-app", retiringSecret, PASSWORD).bodyAsJsonObject()
        .getString("refresh_token")));

    assertEquals(200, kept.statusCode());
    assertEquals(200, refreshed.statusCode(), refreshed.bodyAsString());
    for (HttpResponse<Buffer> response : List.of(kept, refreshed)) {
      assertNull(response.getHeader("Deprecation"));
      assertNull(response.getHeader("Sunset"));
      assertNull(response.getHeader("Link"));
    }
  }

  @Test
  void fromTheSunsetOnThePasswordGrantIsRefusedButEarlierSessionsRefresh() {
    String refreshToken = login("retiring-app", retiringSecret, PASSWORD).bodyAsJsonObject()
      .getString("refresh_token");
    clock.advance(Duration.ofHours(2));

    HttpResponse<Buffer> refused = login("retiring-app", retiringSecret, PASSWORD);
    HttpResponse<Buffer> refreshed = api.tokenWithBasic("retiring-app", retiringSecret,
      form("grant_type", "refresh_token", "refresh_token", refreshToken));

    assertEquals(400, refused.statusCode());
    JsonObject error = refused.bodyAsJsonObject();
    assertEquals("unauthorized_client", error.getString("error"));
    assertEquals("the password grant was retired for this client on " + sunset, error.getString("error_description"));
    assertEquals("no-store", refused.getHeader("Cache-Control"));
    assertEquals(sunset, ZonedDateTime.parse(refused.getHeader("Sunset"), DateTimeFormatter.RFC_1123_DATE_TIME)
      .toInstant(), "still saying when it ended");
    assertEquals(200, refreshed.statusCode(), refreshed.bodyAsString());
    assertTrue(refreshed.bodyAsJsonObject().containsKey("refresh_token"), "the session goes on");
    assertEquals(200, login("kept-app", keptSecret, PASSWORD).statusCode(), "other clients are not affected");
  }
}
