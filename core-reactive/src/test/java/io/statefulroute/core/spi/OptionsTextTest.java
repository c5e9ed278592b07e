package io.statefulroute.core.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;

class OptionsTextTest {

  @Test
  void type_isTheClassWithoutPackage_neverTheValuesOwnToString() {
    Object secret =
        new Object() {
          @Override
          public String toString() {
            return "redis://:hunter2@10.0.0.1";
          }
        };
    assertThat(OptionsText.type(null)).isEqualTo("none");
    assertThat(OptionsText.type("x")).isEqualTo("String");
    assertThat(OptionsText.type(secret)).isEqualTo("OptionsTextTest$1");
    IntSupplier lambda = () -> 1;
    assertThat(OptionsText.type(lambda)).startsWith("OptionsTextTest$$Lambda").doesNotContain("/");
  }

  @Test
  void of_printsFieldsInOrder_collaboratorsByTypeOnly() {
    Object secret =
        new Object() {
          @Override
          public String toString() {
            return "redis://:hunter2@10.0.0.1";
          }
        };
    assertThat(OptionsText.of("Empty")).hasToString("Empty{}");
    assertThat(
            OptionsText.of("Opts")
                .add("a", 1)
                .add("b", null)
                .type("listener", secret)
                .type("none", null)
                .toString())
        .isEqualTo("Opts{a=1, b=null, listener=OptionsTextTest$2, none=none}")
        .doesNotContain("hunter2");
  }
}
