package io.statefulroute.benchmarks.sim;

/** The phases of the scripted timeline, in order, with what happens when each begins. */
enum Phase {
  STEADY("steady", "pods 0..K-1 READY, users arrive"),
  SCALE_OUT("scale-out", "pod K joins (READY, empty)"),
  DRAIN("drain", "pod 1 goes DENY_NEW_CALL: keeps its users, takes no new ones"),
  CRASH("crash", "pod 2 crashes: stops publishing and serving, no SHUTDOWN"),
  RECOVERY("recovery", "pod 2 restarts (new incarnation, no sessions); pod 1 READY again");

  /** The pod that drains, and the pod that crashes (both exist since --pods >= 3). */
  static final int DRAINING_POD = 1;
  static final int CRASHING_POD = 2;

  private final String label;
  private final String event;

  Phase(String label, String event) {
    this.label = label;
    this.event = event;
  }

  String label() {
    return label;
  }

  /** What happens at the start of the phase. */
  String event() {
    return event;
  }
}
