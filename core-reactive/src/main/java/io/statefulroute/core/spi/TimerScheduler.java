package io.statefulroute.core.spi;

import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The default scheduler of the drivers' timers (publication, refresh, drain): one shared daemon
 * thread of its own. Timers on {@code Schedulers.parallel()} queue behind whatever the application
 * runs there and go late under load (a state refresh that is late by more than the state expiry
 * empties the view); timer work here is tiny and non-blocking, so one thread serves every driver of
 * the process.
 */
public final class TimerScheduler {
  private static final Scheduler INSTANCE = Schedulers.newSingle("statefulroute-timer", true);

  private TimerScheduler() {}

  public static Scheduler get() {
    return INSTANCE;
  }
}
