package io.tokengate.http;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ContentTypeTest {

  @Test
  void acceptsTheFormTypeWithOrWithoutUtf8() {
    assertTrue(TokenRequestReader.isForm("application/x-www-form-urlencoded"));
    assertTrue(TokenRequestReader.isForm("Application/X-WWW-Form-URLEncoded; charset=utf-8"));
    assertTrue(TokenRequestReader.isForm("application/x-www-form-urlencoded;charset=\"UTF-8\""));
  }

  @Test
  void refusesAnythingElse() {
    assertFalse(TokenRequestReader.isForm(null));
    assertFalse(TokenRequestReader.isForm("application/json"));
    assertFalse(TokenRequestReader.isForm("application/x-www-form-urlencoded; charset=iso-8859-1"));
    assertFalse(TokenRequestReader.isForm("application/x-www-form-urlencoded-extra"));
    assertFalse(TokenRequestReader.isForm("text/plain; application/x-www-form-urlencoded"));
  }
}
