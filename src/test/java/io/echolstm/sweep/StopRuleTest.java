package io.echolstm.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class StopRuleTest {

  @Test
  void targetStopsAtTheFirstEvaluationThatReachesIt() {
    StopRule rule = new StopRule(OptionalDouble.of(0.99), 3, 0.01);
    assertEquals(Optional.empty(), rule.observe(0.5, 2.0));
    assertEquals(Optional.empty(), rule.observe(0.98, 0.2));
    assertEquals(Optional.of(StopRule.Reason.TARGET), rule.observe(0.99, 0.1));
  }

  @Test
  void plateauStopsAfterPatienceEvaluationsWithoutImprovement() {
    StopRule rule = new StopRule(OptionalDouble.of(0.99), 3, 0.01);
    assertEquals(Optional.empty(), rule.observe(0.01, 4.61));
    assertEquals(Optional.empty(), rule.observe(0.01, 4.605)); // 1: less than 0.01 better
    assertEquals(Optional.empty(), rule.observe(0.01, 4.62)); // 2
    assertEquals(Optional.of(StopRule.Reason.PLATEAU), rule.observe(0.01, 4.63)); // 3
  }

  @Test
  void anImprovementResetsThePatience() {
    StopRule rule = new StopRule(OptionalDouble.empty(), 2, 0.01);
    assertEquals(Optional.empty(), rule.observe(0.0, 4.6));
    assertEquals(Optional.empty(), rule.observe(0.0, 4.6));
    assertEquals(Optional.empty(), rule.observe(0.0, 4.5));
    assertEquals(Optional.empty(), rule.observe(0.0, 4.5));
    assertEquals(Optional.of(StopRule.Reason.PLATEAU), rule.observe(0.0, 4.5));
  }

  @Test
  void aSlowSteadyDeclineAddsUpToAnImprovement() {
    // 0.004 per evaluation: the third step is 0.012 below the last improvement, so it counts.
    StopRule rule = new StopRule(OptionalDouble.empty(), 3, 0.01);
    double loss = 3.0;
    for (int i = 0; i < 30; i++) {
      assertEquals(Optional.empty(), rule.observe(0.2, loss), "evaluation " + i);
      loss -= 0.004;
    }
  }

  @Test
  void zeroPatienceNeverStopsOnAPlateau() {
    StopRule rule = new StopRule(OptionalDouble.empty(), 0, 0.01);
    for (int i = 0; i < 50; i++) {
      assertEquals(Optional.empty(), rule.observe(0.01, 4.6));
    }
  }
}
