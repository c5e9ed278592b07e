package io.statefulroute.observability.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

  @Test
  void write_escapesStrings_andNestsMapsAndLists() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("s", "a\"b\\c\nd\u0001\u2028");
    m.put("n", 3);
    m.put("d", 0.25);
    m.put("whole", 2.0);
    m.put("nan", Double.NaN);
    m.put("inf", Double.POSITIVE_INFINITY);
    m.put("b", true);
    m.put("null", null);
    m.put("list", Arrays.asList(1, "x", null, List.of()));
    m.put("map", Map.of("k", "v"));
    assertThat(Json.write(m))
        .isEqualTo(
            "{\"s\":\"a\\\"b\\\\c\\nd\\u0001\\u2028\",\"n\":3,"
                + "\"d\":0.25,\"whole\":2,\"nan\":null,\"inf\":null,\"b\":true,\"null\":null,"
                + "\"list\":[1,\"x\",null,[]],\"map\":{\"k\":\"v\"}}");
  }
}
