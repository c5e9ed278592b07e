package io.statefulroute.core.client;

import io.statefulroute.core.spi.Args;

/** The local cache key of a link: (namespace, uid, service), validated. */
record LinkKey(String namespace, String uid, String service) {
  LinkKey {
    Args.namespace(namespace);
    Args.uid(uid);
    Args.service(service);
  }
}
