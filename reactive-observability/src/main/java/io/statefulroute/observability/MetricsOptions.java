package io.statefulroute.observability;

import io.micrometer.core.instrument.Timer;

/**
 * How the timers are built. Percentile histograms are off by default (client-side percentiles
 * cannot be aggregated across instances; histogram buckets can, at the price of one time series per
 * bucket): turn them on with {@link StatefulRouteObservability.Builder#percentileHistograms}.
 */
record MetricsOptions(boolean percentileHistograms) {

  Timer.Builder timer(StatefulRouteMeters meter) {
    return Timer.builder(meter.meterName())
        .description(meter.description())
        .publishPercentileHistogram(percentileHistograms);
  }
}
