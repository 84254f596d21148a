package io.tokengate.http;

import io.tokengate.oauth.OAuthException;
import io.tokengate.oauth.Parameters;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FormParserTest {

  private static Parameters parse(String body) {
    return FormParser.parse(body.getBytes(StandardCharsets.UTF_8));
  }

  private static String rejection(String body) {
    return assertThrows(OAuthException.class, () -> parse(body)).description();
  }

  @Test
  void decodesPlusAndPercentEscapes() {
    Parameters parameters = parse("username=j%C3%B6rg+m&password=a%26b%3Dc%25&scope=read+write");

    assertEquals("jörg m", parameters.required("username"));
    assertEquals("a&b=c%", parameters.required("password"));
    assertEquals("read write", parameters.required("scope"));
  }

  @Test
  void emptyValuesAndNamesWithoutValuesAreAbsent() {
    Parameters parameters = parse("scope=&flag&grant_type=password");

    assertEquals(Optional.empty(), parameters.optional("scope"));
    assertFalse(parameters.has("flag"));
    assertEquals("password", parameters.required("grant_type"));
  }

  @Test
  void emptySegmentsAreSkipped() {
    assertEquals("password", parse("&&grant_type=password&").required("grant_type"));
  }

  @Test
  void repeatedParametersAreRefusedEvenWhenEmpty() {
    assertTrue(rejection("a=1&a=2").contains("repeated"));
    assertTrue(rejection("a=&a=").contains("repeated"));
    assertTrue(rejection("a%3D=1&a%3D=2").contains("repeated"));
  }

  @Test
  void malformedInputIsRefused() {
    for (String body : new String[] {"a=%", "a=%2", "a=%G0", "a=%C3", "a=%C0%80", "a=%ED%A0%80", "a=%00", "=value"}) {
      assertThrows(OAuthException.class, () -> parse(body), body);
    }
  }

  @Test
  void theNumberOfParametersIsBounded() {
    StringBuilder body = new StringBuilder();
    for (int i = 0; i <= FormParser.MAX_PARAMETERS; i++) {
      body.append("p").append(i).append("=1&");
    }
    assertTrue(rejection(body.toString()).contains("too many"));
  }

  @Test
  void onlyKnownParameterNamesAreEchoed() {
    assertEquals("parameter username is repeated", rejection("username=a&username=b"));
    // A password with an unencoded '&' turns its tail into a "name": it must not come back in the error.
    String message = rejection("password=abc&hunter2=x&hunter2=y");
    assertEquals("a parameter is repeated", message);
    assertFalse(message.contains("hunter2"));
  }

  @Test
  void missingRequiredParametersAreNamed() {
    assertEquals("missing parameter grant_type",
      assertThrows(OAuthException.class, () -> parse("a=1").required("grant_type")).description());
  }
}
