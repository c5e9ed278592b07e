package io.statefulroute.core.placement;

/** (namespace, service): the key of per-service state inside strategies. */
record ServiceKey(String namespace, String service) {}
