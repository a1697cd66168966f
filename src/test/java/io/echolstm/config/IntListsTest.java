package io.echolstm.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class IntListsTest {
  @Test
  void rangesListsAndMixes() {
    assertEquals(List.of(0, 1, 2, 3, 4), IntLists.parse("0-4"));
    assertEquals(List.of(0, 2, 7), IntLists.parse("0, 2,7"));
    assertEquals(List.of(1, 2, 3, 8), IntLists.parse("1-3,8"));
    assertEquals(List.of(5), IntLists.parse("5-5"));
    assertEquals(List.of(-1), IntLists.parse("-1"));
  }

  @Test
  void badListsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> IntLists.parse(""));
    assertThrows(IllegalArgumentException.class, () -> IntLists.parse(" , "));
    assertThrows(IllegalArgumentException.class, () -> IntLists.parse("4-2"));
    assertThrows(IllegalArgumentException.class, () -> IntLists.parse("a-2"));
    assertThrows(IllegalArgumentException.class, () -> IntLists.parse("1,1"));
    assertThrows(IllegalArgumentException.class, () -> IntLists.parse("0-100000"));
  }

  /** Issue 8: {@code MAX-MAX} wrapped the loop counter and spun forever. */
  @Test
  @org.junit.jupiter.api.Timeout(10)
  void rangesAtTheEndsOfIntEndAndOverflowIsRefused() {
    assertEquals(List.of(Integer.MAX_VALUE), IntLists.parse("2147483647-2147483647"));
    assertEquals(
        List.of(Integer.MAX_VALUE - 1, Integer.MAX_VALUE), IntLists.parse("2147483646-2147483647"));
    assertEquals(List.of(Integer.MIN_VALUE), IntLists.parse("-2147483648"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> IntLists.parse("2147483648"));
    org.junit.jupiter.api.Assertions.assertTrue(
        e.getMessage().contains("out of range"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> IntLists.parse("0-99999999999"));
    assertThrows(IllegalArgumentException.class, () -> IntLists.parse("-2147483648-2147483647"));
  }

  /** Many ranges, each under the limit, must not add up past it either. */
  @Test
  @org.junit.jupiter.api.Timeout(10)
  void manyRangesAreCappedTogether() {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 1000; i++) {
      text.append(i == 0 ? "" : ",").append(i * 10_000).append('-').append(i * 10_000 + 9_999);
    }
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> IntLists.parse(text.toString()));
    org.junit.jupiter.api.Assertions.assertTrue(
        e.getMessage().contains("too long"), e.getMessage());
    assertEquals(IntLists.MAX_VALUES, IntLists.parse("0-9999").size());
  }
}
