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
}
