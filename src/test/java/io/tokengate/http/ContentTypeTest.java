package io.tokengate.http;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ContentTypeTest {

  @Test
  void acceptsTheFormTypeWithOrWithoutUtf8() {
    assertTrue(FormRequestReader.isForm("application/x-www-form-urlencoded"));
    assertTrue(FormRequestReader.isForm("Application/X-WWW-Form-URLEncoded; charset=utf-8"));
    assertTrue(FormRequestReader.isForm("application/x-www-form-urlencoded;charset=\"UTF-8\""));
  }

  @Test
  void refusesAnythingElse() {
    assertFalse(FormRequestReader.isForm(null));
    assertFalse(FormRequestReader.isForm("application/json"));
    assertFalse(FormRequestReader.isForm("application/x-www-form-urlencoded; charset=iso-8859-1"));
    assertFalse(FormRequestReader.isForm("application/x-www-form-urlencoded-extra"));
    assertFalse(FormRequestReader.isForm("text/plain; application/x-www-form-urlencoded"));
  }
}
