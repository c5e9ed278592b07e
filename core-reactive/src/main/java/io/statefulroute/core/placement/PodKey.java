package io.statefulroute.core.placement;

/** (namespace, service, pod): the key of per-pod state in strategies and passive health. */
record PodKey(String namespace, String service, int pod) {}
