/**
 * For executor implementations and extension modules: the Redis data contract's key schema ({@link
 * io.statefulroute.core.spi.KeySchema}), its value and announcement codecs ({@link
 * io.statefulroute.core.spi.StateCodec}, {@link io.statefulroute.core.spi.LinkAnnouncements}), the
 * link-event hub an executor publishes its events through ({@link
 * io.statefulroute.core.spi.LinkEventHub}), and the argument checks every options class uses
 * ({@link io.statefulroute.core.spi.Args}). Applications do not need this package; an executor for
 * another store (or another Redis client) does, to stay compatible with the data contract. It
 * follows the library's version: a change here is a change of the contract.
 */
@NullMarked
package io.statefulroute.core.spi;

import org.jspecify.annotations.NullMarked;
