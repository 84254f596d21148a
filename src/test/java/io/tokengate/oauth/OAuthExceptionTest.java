package io.tokengate.oauth;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class OAuthExceptionTest {

  @Test
  void descriptionsKeepToTheCharactersRfc6749Allows() {
    assertEquals("caf? ?no?? back?slash? line?",
      OAuthException.invalidRequest("caf\u00e9 \"no\"? back\\slash\u00a7 line\n").description());
    assertEquals("plain text, 100% fine", OAuthException.invalidRequest("plain text, 100% fine").description());
  }
}
