package io.statefulroute.benchmarks.sim;

/** The phases of the scripted timeline, in order, with what happens when each begins. */
enum Phase {
  STEADY("steady", "pods 0..K-1 READY, users arrive"),
  SCALE_OUT("scale-out", "pod K joins (READY, empty)"),
  DRAIN("drain", "pod 1 goes DENY_NEW_CALL: keeps its users, takes no new ones"),
  CRASH("crash", "pod 2 crashes: stops publishing and serving, no SHUTDOWN"),
  RECOVERY("recovery", "pod 2 restarts (new incarnation, no sessions); pod 1 READY again"),
  CORDON("cordon", "an operator cordons pod 0: it keeps its users, takes no new ones"),
  STORE_FAULT("store fault", "the store stalls 3 s, then restarts empty (its data lost)");

  /** The pod that drains, and the pod that crashes (both exist since --pods >= 3). */
  static final int DRAINING_POD = 1;

  static final int CRASHING_POD = 2;

  /** The pod an operator cordons in {@link #CORDON} (and uncordons when the phase ends). */
  static final int CORDONED_POD = 0;

  /** How long the store stalls at the start of {@link #STORE_FAULT} (Redis: DEBUG SLEEP 3). */
  static final long STALL_MILLIS = 3000;

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
